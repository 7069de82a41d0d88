import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/** The data folder holds sessions, the audit log and the webhook secret: only the server's user may read it. */
export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

/** Creates the data folder (0700), or tightens an existing one. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  chmodSync(dir, DATA_DIR_MODE);
}

/**
 * Creates `file` empty with mode 0600 if it is missing, and tightens it if it exists. SQLite gives
 * the -wal and -shm files the mode of the database file, so making console.db 0600 before SQLite
 * opens it keeps those private too; existing ones are tightened as well.
 */
export function ensurePrivateFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', DATA_FILE_MODE));
  chmodSync(file, DATA_FILE_MODE);
}

/** Tightens the database file and, when present, its WAL and shared-memory files. */
export function protectDatabaseFiles(dbFile: string): void {
  ensurePrivateFile(dbFile);
  for (const suffix of ['-wal', '-shm']) {
    const companion = `${dbFile}${suffix}`;
    if (existsSync(companion)) chmodSync(companion, DATA_FILE_MODE);
  }
}
