// Each check of the language spec: the code, the exact range, and the message's key facts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/lang/analyze';
import { fixture } from '../helpers/markers';

/** Analyses a fixture; returns errors+warnings (hints left out) and the marked ranges. */
function check(src: string) {
  const fx = fixture(src);
  const a = analyze(fx.text);
  const diags = a.diagnostics.filter((d) => d.severity !== 'hint');
  return { a, diags, fx };
}

/** Asserts exactly one diagnostic, with this code, on the single marked range, matching `msg`. */
function expectOne(src: string, code: string, msg?: RegExp) {
  const { diags, fx } = check(src);
  assert.equal(diags.length, 1, `expected one diagnostic, got:\n${diags.map((d) => `${d.code} ${d.message}`).join('\n')}`);
  const d = diags[0];
  assert.equal(d.code, code, d.message);
  assert.deepEqual({ start: d.span.start, end: d.span.end }, fx.ranges[0], `range of ${code}: got "${fx.text.slice(d.span.start, d.span.end)}"`);
  if (msg) assert.match(d.message, msg);
  return d;
}

const H = (body: string) => `qubits 20\nparam J = 1.0\nhamiltonian H {\n${body}\n}\n`;

test('QH302 qubit index out of range names the loop value and the register', () => {
  expectOne(H('  sum i in 0..n-1 { J * «X[i+1]» X[i] }'), 'QH302', /^`X\[i\+1\]` with i = 19 is qubit 20; the register has qubits 0\.\.19\.$/);
});

test('QH200 an undefined name is one error with a did-you-mean fix, not one per iteration', () => {
  const d = expectOne(H('  sum i in 0..n-2 { «Jx» * X[i] X[i+1] }'), 'QH200', /Unknown name `Jx`; did you mean `J`\?/);
  assert.equal(d.fix?.edits[0].newText, 'J');
});

test('QH202 use before definition points at the later definition', () => {
  expectOne('qubits 4\nparam a = «b» + 1\nparam b = 2\nhamiltonian H { a * Z[0] + b * Z[1] }\n', 'QH202', /line 3/);
});

test('QH202 n used before qubits', () => {
  expectOne('param a = «n»\nqubits 4\nhamiltonian H { a * Z[0] }\n', 'QH202', /qubits/);
});

test('QH201 duplicate names', () => {
  expectOne('qubits 4\nparam J = 1\nparam «J» = 2\nhamiltonian H { J * Z[0] }\n', 'QH201', /already defined on line 2/);
});

test('QH203 reserved names cannot be defined', () => {
  expectOne('qubits 4\nparam «pi» = 3\nhamiltonian H { Z[0] }\n', 'QH203');
});

test('QH204 missing qubits; QH205 second qubits', () => {
  const { diags } = check('param J = 1\nhamiltonian H { J * Z[0] }\n');
  assert.deepEqual(diags.map((d) => d.code), ['QH204']);
  expectOne('qubits 4\n«qubits 5»\nhamiltonian H { Z[0] }\n', 'QH205');
});

test('QH301 non-integer qubit index', () => {
  expectOne('qubits 4\nhamiltonian H { sum i in 0..3 { X[«i/2»] } }\n', 'QH301', /with i = 1 is qubit 0\.5/);
});

test('QH303 array index out of range', () => {
  expectOne('qubits 4\nparam h = [1, 2, 3]\nhamiltonian H { sum i in 0..3 { «h[i]» * Z[i] } }\n', 'QH303', /with i = 3 is element 3, but `h` has 3 elements/);
});

test('QH304 division by zero', () => {
  expectOne('qubits 4\nparam a = 1 / «(2 - 2)»\nhamiltonian H { a * Z[0] }\n', 'QH304');
});

test('QH400 non-Hermitian Hamiltonian names the term', () => {
  expectOne('qubits 2\nhamiltonian H {\n  «X[0] Y[0]»\n}\n', 'QH400', /1i \* Z\[0\]/);
});

test('QH401 empty Hamiltonian is a warning', () => {
  const d = expectOne('qubits 2\nhamiltonian «H» {\n  0 * Z[0]\n}\nstate s = zero\nevolve s under H for 1\n', 'QH401');
  assert.equal(d.severity, 'warning');
});

test('QH402 empty range is a warning', () => {
  const d = expectOne('qubits 4\nhamiltonian H {\n  Z[0]\n  sum i in «3..1» { X[i] }\n}\n', 'QH402');
  assert.equal(d.severity, 'warning');
});

test('QH500/QH501 bit strings: wrong length, wrong characters', () => {
  expectOne('qubits 4\nstate s = bits «"010"»\n', 'QH500', /3 characters but the register has 4 qubits/);
  expectOne('qubits 4\nstate s = bits «"01a0"»\n', 'QH501', /character 2 is `a`/);
});

test('QH502 unknown state word with a suggestion', () => {
  expectOne('qubits 4\nstate s = «neal»\n', 'QH502', /did you mean `neel`/);
});

test('QH600 unknown evolve key with did you mean; QH601 wrong value; QH602 duplicate key', () => {
  const base = 'qubits 4\nhamiltonian H { sum i in 0..2 { Z[i] Z[i+1] } }\nstate s = zero\n';
  expectOne(`${base}evolve s under H for 1 {\n  «layres» = 2\n}\n`, 'QH600', /did you mean `layers`/);
  expectOne(`${base}evolve s under H for 1 {\n  fidelity = «1.5»\n}\n`, 'QH601', /0 < f ≤ 1, found 1\.5/);
  expectOne(`${base}evolve s under H for 1 {\n  layers = «0»\n}\n`, 'QH601', /whole number ≥ 1 or `auto`/);
  expectOne(`${base}evolve s under H for 1 {\n  method = «aqx»\n}\n`, 'QH601', /did you mean `aqc`/);
  expectOne(`${base}evolve s under H for 1 {\n  order = «3»\n}\n`, 'QH601', /1 or 2/);
  expectOne(`${base}evolve s under H for 1 {\n  bond = 8\n  «bond» = 16\n}\n`, 'QH602', /already set on line 5/);
});

test('QH603 a periodic bond under method = aqc: error on the evolve line naming the term, with a fix', () => {
  const src = 'qubits 12\nhamiltonian H {\n  sum i in 0..n-1 { X[i] X[(i+1) % n] }\n}\nstate s = zero\n«evolve s under H for 1.0» {\n  layers = 2\n}\n';
  const d = expectOne(src, 'QH603', /X\[0\] X\[11\] \(line 3, i = 11\) couples qubits 0 and 11.*method = trotter/);
  const fx = fixture(src);
  const edit = d.fix!.edits[0];
  const fixed = fx.text.slice(0, edit.span.start) + edit.newText + fx.text.slice(edit.span.end);
  assert.match(fixed, /\{\n  method = trotter\n  layers = 2\n\}/);
  assert.deepEqual(check(fixed).diags, []);
});

test('QH604 zero time is a warning', () => {
  const d = expectOne('qubits 2\nhamiltonian H { Z[0] Z[1] }\nstate s = zero\nevolve s under H for «0»\n', 'QH604');
  assert.equal(d.severity, 'warning');
});

test('QH308 register size limits', () => {
  expectOne('qubits «2000»\n', 'QH308', /between 1 and 1024/);
  expectOne('qubits «0»\n', 'QH308');
});

test('QH901 a range of more than a million values is refused before it runs', () => {
  expectOne('qubits 4\nhamiltonian H { sum i in «0..2000000» { Z[0] } }\n', 'QH901');
});

test('QH900 more than a million terms is refused', () => {
  const { diags } = check('qubits 1024\nhamiltonian H { sum i in 0..1000 { sum j in 0..1000 { X[i] Z[j % 1024] + Y[i] Y[(i + j) % 1024] } } }\n');
  assert.ok(diags.some((d) => d.code === 'QH900'), diags.map((d) => d.code).join());
});

test('QH902 deep nesting is refused without overflowing the stack', () => {
  const deep = 'qubits 2\nparam a = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n';
  const { diags } = check(deep);
  assert.ok(diags.some((d) => d.code === 'QH902'));
  const unary = 'qubits 2\nparam a = ' + '-'.repeat(100000) + '1\n';
  assert.ok(check(unary).diags.some((d) => d.code === 'QH902'));
});

test('one typo gives one diagnostic: a broken line does not cascade into the next', () => {
  const { diags } = check('qubits 4\nparam J = 1.0 +\nparam K = 2\nhamiltonian H {\n  J * Z[0] *\n  K * Z[1]\n}\n');
  // `1.0 +` continues onto the next line, which starts a statement: one syntax error.
  assert.equal(diags.filter((d) => d.severity === 'error').length, 1, diags.map((d) => d.message).join('\n'));
});

test('an unclosed brace is reported once at the brace, and later statements still parse', () => {
  const { diags, a } = check('qubits 4\nhamiltonian H {\n  Z[0] Z[1]\nstate s = zero\nevolve s under H for 1\n');
  assert.deepEqual(diags.map((d) => d.code), ['QH111']);
  assert.ok(a.program.states.has('s'));
  assert.equal(a.program.evolves.length, 1);
});

test('an unclosed parenthesis does not swallow the next statement', () => {
  const { diags, a } = check('qubits 4\nparam J = (1 + 2\nparam K = 3\nhamiltonian H { K * Z[0] }\n');
  assert.deepEqual(diags.map((d) => d.code), ['QH111']);
  assert.equal(a.program.params.get('K'), 3);
});

test('QH112 misspelt statement keyword with fix', () => {
  const d = expectOne('qubits 4\n«parm» J = 1\n', 'QH112', /did you mean `param`/);
  assert.equal(d.fix?.edits[0].newText, 'param');
});

test('QH100 stray characters; `;` gets a removal fix', () => {
  const d = expectOne('qubits 4«;»\n', 'QH100', /no `;` is needed/);
  assert.equal(d.fix?.edits[0].newText, '');
});

test('QH101 unterminated string', () => {
  expectOne('qubits 4\nstate s = bits «"0101»\n', 'QH101');
});

test('QH305 not-a-number results', () => {
  expectOne('qubits 4\nparam a = «sqrt(-1)»\nhamiltonian H { a * Z[0] }\n', 'QH305');
});

test('QH306/QH307 function arity and unknown functions', () => {
  expectOne('qubits 4\nparam a = «sin(1, 2)»\nhamiltonian H { a * Z[0] }\n', 'QH306');
  expectOne('qubits 4\nparam a = «sinh»(1)\nhamiltonian H { a * Z[0] }\n', 'QH307');
});

test('QH300 type errors: operator in a param, number added to an operator', () => {
  expectOne('qubits 4\nparam a = «X[0]»\n', 'QH300', /operator/);
  expectOne('qubits 4\nhamiltonian H { Z[0] + «1» }\n', 'QH300', /constant energy shift/);
});

test('QH403 a scalar line in a Hamiltonian', () => {
  expectOne('qubits 4\nparam J = 1\nhamiltonian H {\n  Z[0]\n  «J»\n}\n', 'QH403');
});

test('QH309 an array used without an index', () => {
  expectOne('qubits 4\nparam h = [1, 2]\nhamiltonian H { «h» * Z[0] }\n', 'QH309');
});

test('QH310 invalid step', () => {
  expectOne('qubits 4\nhamiltonian H { sum i in 0..3 step «0» { Z[i] } }\n', 'QH310');
});

test('QH206 wrong kind of name', () => {
  expectOne('qubits 4\nparam J = 1\nhamiltonian H { Z[0] }\nevolve «J» under H for 1\n', 'QH206', /is a param/);
});

test('QH207 unused names are hints marked unnecessary', () => {
  const a = analyze('qubits 4\nparam unusedParam = 1\nhamiltonian H { Z[0] }\nstate s = zero\nevolve s under H for 1\n');
  const hints = a.diagnostics.filter((d) => d.code === 'QH207');
  assert.equal(hints.length, 1);
  assert.equal(hints[0].severity, 'hint');
  assert.equal(hints[0].unnecessary, true);
});

test('every shipped example checks clean', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const files = readdirSync('examples').filter((f) => f.endsWith('.qham'));
  assert.ok(files.length >= 4);
  for (const f of files) {
    const a = analyze(readFileSync(`examples/${f}`, 'utf8'));
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.message), [], f);
    assert.ok(a.program.evolves.length >= 1, `${f} has an evolve block`);
  }
});

test('regressions: long chains of + and ^ do not overflow the stack', () => {
  const plus = analyze('qubits 4\nparam a = ' + Array(5000).fill('1').join(' + ') + '\n');
  assert.equal(plus.program.params.get('a'), 5000);
  const line = analyze('qubits 1000\nhamiltonian H {\n  ' + Array.from({ length: 1000 }, (_, k) => `Z[${k}]`).join(' + ') + '\n}\n');
  assert.equal(line.program.hamiltonians.get('H')?.sum.terms.length, 1000);
  assert.ok(analyze('qubits 4\nparam a = ' + Array(5000).fill('1').join('^') + '\n').diagnostics.some((d) => d.code === 'QH902'));
});

test('regressions: `qubits n` and `qubits X[0]` are errors; definitions above `qubits` are reported', () => {
  assert.deepEqual(check('qubits «n»\n').diags.map((d) => d.code), ['QH202']);
  assert.deepEqual(check('qubits X[0]\n').diags.map((d) => d.code), ['QH300']);
  expectOne('hamiltonian «H» { Z[0] }\nqubits 2\nstate s = zero\nevolve s under H for 1\n', 'QH202', /before `qubits`/);
});

test('regressions: one typo, one diagnostic — missing `=`, `{` on the next line, look-alike characters', () => {
  assert.deepEqual(check('qubits 2\nparam J 1.0\nhamiltonian H { J * Z[0] }\n').diags.map((d) => d.code), ['QH110']);
  const allman = check('qubits 2\nhamiltonian H\n{\n  Z[0] Z[1]\n}\nstate s = zero\nevolve s under H for 1\n{\n  layers = 2\n}\n');
  assert.deepEqual(allman.diags, []);
  assert.equal(allman.a.program.evolves[0].options.layers, 2);
  const pi = check('qubits 2\nparam c = 2π − 1\nhamiltonian H { c * Z[0] }\n');
  assert.deepEqual(pi.diags.map((d) => d.fix?.edits[0].newText), ['pi', '-']);
  assert.ok(Math.abs((pi.a.program.params.get('c') as number) - (2 * Math.PI - 1)) < 1e-12);
});

test('regressions: a duplicate or reserved definition does not change values', () => {
  const a = analyze('qubits 2\nparam J = 1\nparam J = 5\nparam pi = 3\nhamiltonian G { J * pi * Z[0] }\n');
  assert.equal(a.program.params.get('J'), 1);
  assert.equal(a.program.params.has('pi'), false);
  assert.equal(a.program.hamiltonians.get('G')?.sum.terms[0].coeff, Math.PI);
});

test('regressions: an inner range empty only for some outer values does not warn; default names avoid clashes', () => {
  const pairs = check('qubits 4\nhamiltonian H {\n  sum i in 0..n-1 { sum j in i+1..n-1 { Z[i] Z[j] } }\n}\n');
  assert.deepEqual(pairs.diags, []);
  assert.equal(pairs.a.program.hamiltonians.get('H')?.sum.terms.length, 6);
  const names = analyze('qubits 2\nhamiltonian H { Z[0] }\nstate s = zero\nevolve s under H for 1\nevolve s under H for 2 as evolve1\n');
  assert.deepEqual(names.program.evolves.map((e) => e.name), ['evolve1_2', 'evolve1']);
});

test('regressions: option values — seed may be negative, `auto` only where allowed, bounds, absolute output', () => {
  const base = 'qubits 2\nhamiltonian H { Z[0] Z[1] }\nstate s = zero\n';
  assert.equal(analyze(`${base}evolve s under H for 1 {\n  seed = -3\n}\n`).program.evolves[0].options.seed, -3);
  expectOne(`${base}evolve s under H for 1 {\n  maxiter = «auto»\n}\n`, 'QH601', /found `auto`/);
  expectOne(`${base}evolve s under H for 1 {\n  bond = «1e12»\n}\n`, 'QH601', /at most 1,024/);
  expectOne(`${base}evolve s under H for 1 {\n  output = «"/etc/x.qasm"»\n}\n`, 'QH601', /relative/);
});

test('regressions: hovers of a sum whose body has an error still show the range', async () => {
  const { hover } = await import('../../server/src/lsp/hover');
  const { open, hoverText } = await import('../helpers/markers');
  const { doc, a, at } = open('qubits 20\nhamiltonian H {\n  s<|>um i in 0..n-2 { Jx * X[i] X[i+1] }\n}\n');
  assert.match(hoverText(hover(doc, a, at)), /i = 0\.\.18: not evaluated \(an error in its body\)/);
});
