/** Text and attribute values for hand-written XML: the five predefined entities, no controls. */
export function xmlEscape(value: string): string {
  return (
    value
      // Characters XML 1.0 does not allow at all (C0 controls other than tab, LF and CR).
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
