import { ReactNode, useEffect, useRef } from 'react';

/**
 * A modal <dialog> (showModal: the page behind is inert, Escape closes it, the focus starts inside). On closing,
 * the focus returns to what opened it, or, when that is gone (a deleted row), to `fallbackFocus`.
 */
export function ModalDialog({ title, onClose, fallbackFocus, testId, children }: { title: string; onClose(): void; fallbackFocus?: string; testId?: string; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (dialog && !dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    dialog?.addEventListener('cancel', onCancel);
    return () => {
      dialog?.removeEventListener('cancel', onCancel);
      if (dialog?.open) dialog.close();
      // After React has removed or kept the opener (a reload may replace the row).
      setTimeout(() => {
        const target = opener?.isConnected ? opener : fallbackFocus ? document.getElementById(fallbackFocus) : null;
        target?.focus();
      }, 0);
    };
  }, []);
  return (
    <dialog ref={ref} className="modal" aria-labelledby={`${testId ?? 'dialog'}-title`} data-testid={testId}>
      <h2 id={`${testId ?? 'dialog'}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}
