// web/openapi.json is a valid OpenAPI 3.1 document, by a maintained
// validator of the OpenAPI schemas (@seriousme/openapi-schema-validator,
// Ajv underneath), and its local references all resolve. A control shows
// the validator refuses a broken copy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { Validator } from "@seriousme/openapi-schema-validator";

const DOCUMENT = new URL("../../web/openapi.json", import.meta.url);

async function load() {
	return JSON.parse(await readFile(DOCUMENT, "utf-8"));
}

async function validate(doc) {
	const validator = new Validator();
	const res = await validator.validate(doc);
	return { res, validator };
}

test("web/openapi.json is valid OpenAPI 3.1", async () => {
	const doc = await load();
	const { res, validator } = await validate(doc);
	assert.deepEqual(res.errors, undefined, JSON.stringify(res.errors, null, 1));
	assert.equal(res.valid, true);
	assert.equal(validator.version, "3.1");
});

test("every $ref resolves", async () => {
	const { validator } = await validate(await load());
	// resolveRefs() throws on a reference to nothing.
	const resolved = validator.resolveRefs();
	assert.ok(resolved.paths["/api/v1/meetings"].get.responses["200"].content);
});

test("every operation has an id, a summary and its answers", async () => {
	const doc = await load();
	const ids = new Set();
	for (const [path, ops] of Object.entries(doc.paths)) {
		for (const [method, op] of Object.entries(ops)) {
			assert.ok(op.operationId, `${method} ${path}: operationId`);
			assert.ok(!ids.has(op.operationId), `${op.operationId} twice`);
			ids.add(op.operationId);
			assert.ok(op.summary && op.description, `${method} ${path}: summary, description`);
			const codes = Object.keys(op.responses);
			assert.ok(codes.some((c) => c.startsWith("2")), `${method} ${path}: a success`);
			assert.ok(codes.includes("429"), `${method} ${path}: the rate limit's 429`);
			// Every answer but the document itself (a file) needs the handler.
			if (path !== "/api/v1/openapi.json")
				assert.ok(codes.includes("503"), `${method} ${path}: 503`);
		}
	}
	assert.ok(ids.size >= 20);
});

test("control: a broken copy is refused", async () => {
	const doc = await load();
	doc.paths["/api/v1/meetings"].get.responses = "none";
	delete doc.info.title;
	const { res } = await validate(doc);
	assert.equal(res.valid, false);
	assert.ok(res.errors.length > 0);
});

test("control: a reference to nothing is refused", async () => {
	const doc = await load();
	doc.paths["/api/v1/types"].get.responses["200"].content["application/json"].schema = {
		$ref: "#/components/schemas/Nothing",
	};
	const { res } = await validate(doc);
	assert.equal(res.valid, false);
});
