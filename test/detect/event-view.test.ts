// The event view: a field's values read once per event, the same view moved from event to event
// (the judge keeps one) without anything of the last event left in it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventView } from "../../src/detect/event-view.js";

test("one view, event after event: each field read again for the new event", () => {
  const view = new EventView({ eventName: "AssumeRole", userIdentity: { type: "AssumedRole", "sessionContext.sessionIssuer": { type: "Role" } } });
  assert.deepEqual(view.lower("eventName"), ["assumerole"]);
  assert.deepEqual(view.values("userIdentity.sessionContext.sessionIssuer.type"), ["Role"]);
  assert.equal(view.exists("errorCode"), false);
  assert.equal(view.text(true), '{"eventname":"assumerole","useridentity":{"type":"assumedrole","sessioncontext.sessionissuer":{"type":"role"}}}');

  view.reset({ errorCode: null, userIdentity: [{ type: "Root" }, { type: "IAMUser" }] });
  assert.deepEqual(view.lower("eventName"), []);
  assert.equal(view.exists("eventName"), false);
  assert.deepEqual(view.values("userIdentity.type"), ["Root", "IAMUser"]);
  assert.deepEqual(view.lower("userIdentity.type"), ["root", "iamuser"]);
  assert.deepEqual(view.values("userIdentity.sessionContext.sessionIssuer.type"), []);
  assert.equal(view.exists("errorCode"), true);
  assert.deepEqual(view.values("errorCode"), [null]);
  assert.equal(view.text(false), '{"errorCode":null,"userIdentity":[{"type":"Root"},{"type":"IAMUser"}]}');

  view.reset({ eventName: "GetObject" });
  assert.deepEqual(view.values("eventName"), ["GetObject"]);
  assert.deepEqual(view.lower("userIdentity.type"), []);
  assert.equal(view.exists("errorCode"), false);
});
