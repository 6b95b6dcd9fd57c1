import { FieldErrorCollector } from '../../shared/app-error.js';

/** The keys a custom layout definition has (codegen/render CustomLayoutDefinition), by object. */
const SHAPE: Readonly<Record<string, readonly string[]>> = {
  '': ['width_mm', 'height_mm', 'qr', 'graphic'],
  qr: ['x_mm', 'y_mm', 'size_mm'],
  graphic: ['x_mm', 'y_mm'],
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Unknown keys of a layout definition as nested field errors under `definition`
 * (`{"definition": {"qr": {"colour": ["Unknown field. Known: x_mm, y_mm, size_mm."]}}}`): the renderer
 * would ignore them, so a misspelt key would silently make another layout than the one meant.
 */
export function rejectUnknownLayoutKeys(definition: unknown): void {
  const errors = new FieldErrorCollector();
  for (const [path, known] of Object.entries(SHAPE)) {
    const object = path === '' ? definition : isRecord(definition) ? definition[path] : undefined;
    if (!isRecord(object)) continue; // a missing or mistyped object is the layout parser's to report
    for (const key of Object.keys(object)) {
      if (!known.includes(key)) errors.add(['definition', path, key].filter(Boolean).join('.'), `Unknown field. Known: ${known.join(', ')}.`);
    }
  }
  errors.throwIfAny();
}
