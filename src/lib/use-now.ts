import { useEffect, useState } from 'react';

/**
 * The current time, re-read every `intervalMs`, so relative times ("3 s ago") keep counting
 * while nothing else re-renders.
 */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
