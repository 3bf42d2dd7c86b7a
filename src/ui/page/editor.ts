// The query editor: CodeMirror 6 with the Logs Insights mode, completion (commands, functions with
// their signatures, fields found in the inputs, template ids after .run), the server's checker as
// a linter (the error underlined where the parser says, with its message and hint), Ctrl-Enter.
import { EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap, placeholder, drawSelection, highlightActiveLine } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { bracketMatching } from "@codemirror/language";
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type Completion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { linter, lintKeymap, type Diagnostic } from "@codemirror/lint";
import { logsInsights } from "./language.js";
import { NONCE, postJson, type CheckError, type Meta } from "./api.js";
import { fieldPath } from "./filter-text.js";

export interface EditorHooks {
  run(): void;
  /** The checker's verdict on the current text (for the status line). */
  checked(error: CheckError | undefined): void;
  /** Text not to check: a template's query, whose {{parameters}} the template's form gives. */
  unchecked(text: string): boolean;
}

function completions(meta: Meta): (ctx: CompletionContext) => CompletionResult | null {
  const commands: Completion[] = meta.commands.map((c) => ({ label: c, type: "keyword", detail: "command" }));
  const functions: Completion[] = meta.functions.flatMap((f) =>
    [f.name, ...f.aliases].map((name) => ({ label: name, type: "function", detail: f.signature, info: f.description, apply: name + "(" })),
  );
  // a field is offered as the language writes it (`quoted` parts), and not at all when it can't be
  // written or holds characters that would not show as they are (fieldText; the prompt's completion
  // skips them too)
  const fields: Completion[] = meta.fields.flatMap((f) => {
    const path = fieldPath(f.name.split("."));
    return path === undefined ? [] : [{ label: f.name, apply: path, type: "property", detail: `in ${Math.round(f.share * 100)}% of events` }];
  });
  const templates: Completion[] = meta.templates.map((id) => ({ label: id, type: "text", detail: "template" }));
  return (ctx) => {
    const word = ctx.matchBefore(/[\w@.-]*/);
    if (!word || (word.from === word.to && !ctx.explicit)) return null;
    const before = ctx.state.sliceDoc(0, word.from);
    if (/^\s*\.run\s+$/.test(before)) return { from: word.from, options: templates, validFor: /^[\w-]*$/ };
    if (/(^|\|)\s*$/.test(before)) return { from: word.from, options: commands, validFor: /^\w*$/ };
    return { from: word.from, options: [...functions, ...fields], validFor: /^[\w@.]*$/ };
  };
}

export function createEditor(parent: HTMLElement, meta: Meta, hooks: EditorHooks, initial = ""): EditorView {
  const check = linter(
    async (view): Promise<Diagnostic[]> => {
      const text = view.state.doc.toString();
      if (hooks.unchecked(text)) {
        hooks.checked(undefined);
        return [];
      }
      let r: { ok: boolean; error?: CheckError };
      try {
        r = await postJson("/api/check", { query: text });
      } catch {
        return [];
      }
      // the text changed while the check was on its way: the next check says
      if (view.state.doc.toString() !== text) return [];
      if (r.ok || !r.error) {
        hooks.checked(undefined);
        return [];
      }
      hooks.checked(r.error);
      const len = view.state.doc.length;
      const from = Math.min(r.error.from ?? 0, len);
      const to = Math.min(Math.max(r.error.to ?? len, from), len);
      return [{ from, to: to === from && to < len ? to + 1 : to, severity: "error", message: r.error.message + (r.error.hint ? `\nhint: ${r.error.hint}` : "") }];
    },
    { delay: 250 },
  );
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        EditorView.cspNonce.of(NONCE),
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (hooks.run(), true) }])),
        history(),
        drawSelection(),
        highlightActiveLine(),
        bracketMatching(),
        closeBrackets(),
        placeholder('filter eventName = "ConsoleLogin" | fields @timestamp, userIdentity.arn, sourceIPAddress'),
        logsInsights(meta.commands),
        autocompletion({ override: [completions(meta)], icons: false }),
        check,
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
        EditorView.lineWrapping,
      ],
    }),
  });
}

export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
