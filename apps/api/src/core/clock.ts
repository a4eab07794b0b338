import { Injectable } from '@nestjs/common';
import { todayInZone } from '@copd/domain';

/** "Today" for the future-date rules is the calendar date in Europe/Amsterdam (DOMAIN.md section 4). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  today(): string {
    return todayInZone(this.now(), 'Europe/Amsterdam');
  }
}
