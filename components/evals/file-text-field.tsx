"use client";

import { useState } from "react";
import { TextAreaField } from "@/components/ui/field";

// Server actions take no uploads: the chosen file is read here and posted as the `content` text
// (also editable: a dataset can be pasted).
export function FileTextField({ errors }: { errors?: string[] }) {
  const [text, setText] = useState("");
  return (
    <div className="space-y-2">
      <label className="block text-sm font-medium text-slate-700">
        File (CSV or JSONL)
        <input
          type="file"
          accept=".csv,.jsonl,.ndjson,.txt,text/csv,application/json"
          className="mt-1 block text-sm"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void file.text().then(setText);
          }}
        />
      </label>
      <TextAreaField
        name="content"
        label="Contents"
        rows={6}
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={'{"prompt": "What is 2+2?", "expected": "4"}'}
        hint="JSONL: one object per line with prompt or messages, expected, optional metadata. CSV: a header row with prompt (or messages as JSON) and expected; other columns become metadata."
        errors={errors}
      />
    </div>
  );
}
