export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO-8601 with microseconds and `Z`, the reference API's date format (`2021-03-10T08:35:39.507156Z`). */
export function isoMicros(date: Date): string {
  const iso = date.toISOString(); // always …ss.mmmZ for the years a clock gives
  return `${iso.slice(0, -1)}000Z`;
}
