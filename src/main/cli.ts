#!/usr/bin/env node
import { AppError } from '../shared/app-error.js';
import { StartupError } from '../shared/startup-error.js';
import { buildProgram } from './admin-program.js';
import { tuneHeapForSteadyMemory } from './heap-tuning.js';

tuneHeapForSteadyMemory();

buildProgram().parseAsync().catch((error: unknown) => {
  // Said for an operator (what, where, which variable): no stack trace.
  if (error instanceof StartupError) process.stderr.write(`sigil: ${error.message}\n`);
  else if (error instanceof AppError) process.stderr.write(`error: ${JSON.stringify(error.details.fields ?? error.message)}\n`);
  else process.stderr.write(`error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
