import { describe, expect, test } from "vitest";
import {
  checkPagePost,
  checkReplyJson,
  checkServerActionRequest,
  SERVER_ACTION_BODY_LIMIT,
} from "./server-action-body";

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://console.test/users", { method: "POST", body, headers: { "next-action": "7f00", ...headers } });

describe("checkReplyJson", () => {
  test("accepts what our clients encode: FormData, undefined, dates, bigints, special numbers, escaped dollars", () => {
    expect(checkReplyJson('["$K1"]')).toEqual({ ok: true });
    expect(checkReplyJson('[{"ok":false,"message":"x","values":{"a":"$$5 off"}},"$K2"]')).toEqual({ ok: true });
    expect(
      checkReplyJson(
        '[{"cursor":"$undefined","at":"$D2026-11-26T00:00:00.000Z","n":"$n12","z":"$-0","i":"$Infinity"}]',
      ),
    ).toEqual({ ok: true });
    expect(checkReplyJson("[]")).toEqual({ ok: true });
  });

  test.each([
    ["not JSON", '[{"a":'],
    ["not an argument list", '{"a":1}'],
    ["a promise reference", '["$@0"]'],
    ["a map reference", '[{"m":"$Q1"}]'],
    ["a server reference", '["$F999"]'],
    ["a stream", '["$R3"]'],
    ["a plain chunk reference", '["$1"]'],
    ["deep nesting", `${"[".repeat(5000)}${"]".repeat(5000)}`],
    ["moderate nesting past the bound", `${"[".repeat(40)}${"]".repeat(40)}`],
  ])("refuses %s with a 400", (_name, text) => {
    expect(checkReplyJson(text)).toMatchObject({ ok: false, status: 400 });
  });
});

describe("checkServerActionRequest", () => {
  test("multipart: reads the argument list from field 0, which a call from the page always has", async () => {
    const form = new FormData();
    form.set("1_email", "a@example.test");
    // What a React 19 form posts (field prefix "_"), hidden progressive-enhancement fields included.
    form.set("_1_$ACTION_1:0", '{"id":"7f59","bound":"$@1"}');
    form.set("_1_email", "a@example.test");
    form.set("0", '["$undefined","$K1"]');
    expect(await checkServerActionRequest(post(form))).toEqual({ ok: true });
    form.set("0", '["$@1"]');
    expect(await checkServerActionRequest(post(form))).toMatchObject({ ok: false, status: 400 });
    const odd = new FormData();
    odd.set("0", '["$K1"]');
    odd.set("", "$@0");
    expect(await checkServerActionRequest(post(odd))).toMatchObject({ ok: false, status: 400 });
    const plain = new FormData();
    plain.set("email", "a@example.test");
    expect(await checkServerActionRequest(post(plain))).toMatchObject({ ok: false, status: 400 });
  });

  test("broken multipart is a 400, oversized bodies a 413 whatever the content type says", async () => {
    expect(
      await checkServerActionRequest(
        post('--xyz\r\nContent-Disposition: form-data; name="0"\r\n\r\nfoo', {
          "content-type": "multipart/form-data; boundary=xyz",
        }),
      ),
    ).toMatchObject({ ok: false, status: 400 });
    const huge = JSON.stringify(["x".repeat(SERVER_ACTION_BODY_LIMIT)]);
    expect(await checkServerActionRequest(post(huge, { "content-type": "text/plain;charset=UTF-8" }))).toMatchObject({
      ok: false,
      status: 413,
    });
    expect(
      await checkServerActionRequest(post("[]", { "content-length": String(SERVER_ACTION_BODY_LIMIT + 1) })),
    ).toMatchObject({ ok: false, status: 413 });
    const bigForm = new FormData();
    bigForm.set("1_name", "x".repeat(SERVER_ACTION_BODY_LIMIT + 10));
    bigForm.set("0", '["$K1"]');
    expect(await checkServerActionRequest(post(bigForm))).toMatchObject({ ok: false, status: 413 });
  });
});

describe("checkPagePost", () => {
  const page = (body: BodyInit, headers: Record<string, string> = {}) =>
    new Request("http://console.test/users", { method: "POST", body, headers });

  test("a form posted without JavaScript must carry a readable action reference", async () => {
    const form = new FormData();
    form.set("$ACTION_REF_1", "");
    form.set("$ACTION_1:0", '{"id":"7f00","bound":"$@1"}');
    form.set("email", "a@example.test");
    // "bound" points at a chunk that is not there.
    expect(await checkPagePost(page(form))).toMatchObject({ ok: false, status: 400 });
    form.set("$ACTION_1:1", '["$undefined"]');
    expect(await checkPagePost(page(form))).toEqual({ ok: true });
    form.set("$ACTION_1:1", '["$Q2"]');
    expect(await checkPagePost(page(form))).toMatchObject({ ok: false, status: 400 });
    form.set("$ACTION_1:0", '{"id":"7f00","bound":"$@0"}');
    expect(await checkPagePost(page(form))).toMatchObject({ ok: false, status: 400 });
    form.set("$ACTION_1:0", '{"id":"7f00","bound":null}');
    expect(await checkPagePost(page(form))).toEqual({ ok: true });
    form.delete("$ACTION_1:0");
    expect(await checkPagePost(page(form))).toMatchObject({ ok: false, status: 400 });
  });

  test("broken form bodies are 400s; bodies Next ignores pass", async () => {
    expect(
      await checkPagePost(page("--x\r\nbroken", { "content-type": "multipart/form-data; boundary=x" })),
    ).toMatchObject({ ok: false, status: 400 });
    expect(await checkPagePost(page("{", { "content-type": "application/json" }))).toEqual({ ok: true });
    expect(await checkPagePost(page("a=1&b=%ZZ", { "content-type": "application/x-www-form-urlencoded" }))).toEqual({
      ok: true,
    });
  });
});
