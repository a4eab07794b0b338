import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ExperimentOverview } from './pages/experiment-overview';
import './styles.css';

function App() {
  return (
    <>
      <header>
        <h1>COPD bundelbekostiging – experimentmonitor</h1>
      </header>
      <main>
        <ExperimentOverview />
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
