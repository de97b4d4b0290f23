// Checks the generated CRDs outside .NET: every sample must pass the OpenAPI schema (with ajv, as JSON Schema) and
// the CEL rules (with a CEL evaluator, @bufbuild/cel, after applying the schema defaults as the API server does),
// and each broken variant must fail with exactly the expected CEL message. Not part of `dotnet test` (it needs
// npm); see README.md.
import { run } from "@bufbuild/cel";
import YAML from "yaml";
import Ajv from "ajv";
import fs from "fs";

const repo = process.argv[2];
const crds = ["desktop-operator.io_desktoppools.yaml", "desktop-operator.io_sessionroutes.yaml"]
  .map(f => YAML.parse(fs.readFileSync(`${repo}/crds/${f}`, "utf8")));
const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
const openApi = Object.fromEntries(crds.map(c => [c.spec.names.kind, ajv.compile(c.spec.versions[0].schema.openAPIV3Schema)]));
const schemaOf = kind => crds.find(c => c.spec.names.kind === kind).spec.versions[0].schema.openAPIV3Schema;

function applyDefaults(value, schema) {
  if (value && typeof value === "object" && !Array.isArray(value) && schema.properties) {
    for (const [k, s] of Object.entries(schema.properties)) {
      if (value[k] === undefined && s.default !== undefined) value[k] = structuredClone(s.default);
      if (value[k] !== undefined) applyDefaults(value[k], s);
    }
  } else if (Array.isArray(value) && schema.items) value.forEach(v => applyDefaults(v, schema.items));
  return value;
}
function toCel(v) {
  if (Array.isArray(v)) return v.map(toCel);
  if (v && typeof v === "object") return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  return v;
}
function validate(value, schema, path, errors) {
  for (const r of schema["x-kubernetes-validations"] ?? []) {
    if (r.rule.includes("oldSelf")) continue;
    let ok;
    try { ok = run(r.rule, { self: toCel(value) }); } catch (e) { errors.push(`${path}: ERROR ${r.rule}: ${e.message}`); continue; }
    if (ok !== true) errors.push(`${path}: ${r.message}`);
  }
  if (value && typeof value === "object" && !Array.isArray(value) && schema.properties)
    for (const [k, s] of Object.entries(schema.properties)) if (value[k] !== undefined) validate(value[k], s, `${path}.${k}`, errors);
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => validate(v, schema.items, `${path}[${i}]`, errors));
}
function check(obj) {
  const schema = schemaOf(obj.kind);
  applyDefaults(obj, schema);
  const errors = [];
  validate(obj, schema, "", errors);
  return errors;
}

// Samples: must pass.
let failures = 0;
for (const f of fs.readdirSync(`${repo}/config/samples`)) {
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(`${repo}/config/samples/${f}`, "utf8"))) {
    const obj = doc.toJS();
    const errs = openApi[obj.kind](obj) ? [] : openApi[obj.kind].errors.map(e => `${e.instancePath}: ${e.message}`);
    errs.push(...check(obj));
    console.log(`${f}: ${errs.length ? errs.join("; ") : "ok"}`);
    failures += errs.length;
  }
}

// Broken variants: each must fail with the expected message.
const base = () => ({ apiVersion: "desktop-operator.io/v1alpha1", kind: "DesktopPool", metadata: { name: "p" },
  spec: { staticHosts: [{ name: "a", address: "10.0.0.1" }], protocols: [{ name: "ssh", kind: "Ssh", port: 22, gatewayPort: 2222 }] } });
const cases = [
  ["neither", p => { delete p.spec.staticHosts; }, "exactly one of template or staticHosts must be set"],
  ["both", p => { p.spec.template = { spec: {} }; }, "exactly one of template or staticHosts must be set"],
  ["min>max", p => { p.spec.capacity = { minHosts: 3, maxHosts: 2 }; }, "minHosts must not exceed maxHosts"],
  ["dup names", p => { p.spec.protocols.push({ name: "ssh", kind: "Ssh", port: 22, gatewayPort: 2223 }); }, "protocol names must be unique"],
  ["dup ports", p => { p.spec.protocols.push({ name: "ssh2", kind: "Ssh", port: 22, gatewayPort: 2222 }); }, "gateway ports must be unique"],
  ["dup hosts", p => { p.spec.staticHosts.push({ name: "a", address: "10.0.0.2" }); }, "host names must be unique"],
  ["tcp no gw", p => { delete p.spec.protocols[0].gatewayPort; }, "required for kinds Rdp, Vnc, Ssh and Tcp"],
  ["tcp path", p => { p.spec.protocols[0].path = "/x"; }, "path and hostname are allowed for kind Http only"],
  ["http gw", p => { p.spec.protocols.push({ name: "web", kind: "Http", port: 80, gatewayPort: 8080, path: "/" }); }, "not allowed for kind Http (it is served on the gateway's HTTP listener)"],
  ["http nopath", p => { p.spec.protocols.push({ name: "web", kind: "Http", port: 80 }); }, "kind Http needs a path or a hostname"],
  ["http proxy", p => { p.spec.protocols.push({ name: "web", kind: "Http", port: 80, path: "/", proxyProtocol: "V2" }); }, "allowed for TCP kinds only"],
  ["hc protocol", p => { p.spec.healthCheck = { protocol: "rdp" }; }, "must name one of spec.protocols"],
  ["timeout", p => { p.spec.healthCheck = { interval: "2s", timeout: "2500ms" }; }, "must not exceed interval"],
  ["ok hc", p => { p.spec.healthCheck = { protocol: "ssh", interval: "1m30s", timeout: "90s" }; }, null],
  ["ok http", p => { p.spec.protocols.push({ name: "web", kind: "Http", port: 80, hostname: "d.example.com" }); }, null],
];
for (const [name, mutate, expected] of cases) {
  const p = base(); mutate(p);
  const errs = check(p);
  const good = expected === null ? errs.length === 0 : errs.length === 1 && errs[0].endsWith(": " + expected);
  console.log(`${good ? "PASS" : "FAIL"} ${name}: ${errs.join("; ") || "no errors"}`);
  if (!good) failures++;
}
process.exit(failures ? 1 : 0);
