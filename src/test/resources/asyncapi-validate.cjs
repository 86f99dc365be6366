// Validates an AsyncAPI document with the official parser (@asyncapi/parser 3.x): prints every
// diagnostic, exits 1 when the document has an error (severity 0) or could not be parsed.
const { Parser } = require('@asyncapi/parser');
const fs = require('node:fs');

(async () => {
  const parser = new Parser();
  const { document, diagnostics } = await parser.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const d of diagnostics) {
    console.log(`severity=${d.severity} code=${d.code} path=${JSON.stringify(d.path)} ${d.message}`);
  }
  if (!document || diagnostics.some((d) => d.severity === 0)) {
    console.log('INVALID');
    process.exit(1);
  }
  console.log(`VALID asyncapi=${document.version()} channels=${document.channels().length} operations=${document.operations().length} messages=${document.components().messages().length}`);
})().catch((e) => { console.log('PARSER FAILED ' + e); process.exit(2); });
