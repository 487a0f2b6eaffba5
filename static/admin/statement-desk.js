"use strict";
// The article screen's desk: make a statement from words selected in the body, and see at once,
// before saving, whether and where pasted words are found. Without this script the screen works
// as well: paste the words, save, and the save finds them or says why not.
document.addEventListener("DOMContentLoaded", () => {
    const desk = document.querySelector("[data-statement-desk]");
    const source = desk && desk.querySelector("[data-article-body]");
    if (desk && source) {
        const body = JSON.parse(document.getElementById("article-body-text").textContent);
        const tools = desk.querySelector("[data-selection-tools]");
        const makeButton = desk.querySelector("[data-make-statement]");
        const selectionHelp = desk.querySelector("[data-selection-help]");
        const form = desk.closest("form");
        const OPENING_QUOTES = "“\"«‘„";
        const CLOSING_QUOTES = "”\"»’";
        let selected = null;
        const checking = new WeakMap();

        // Offsets in the body of a point in the highlighted text: each paragraph knows where it
        // starts, and the statement numbers shown in it are not the body's text.
        const bodyOffset = (node, offset) => {
            const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
            const paragraph = element && element.closest("p[data-start]");
            if (!paragraph || !source.contains(paragraph)) {
                return null;
            }
            const before = document.createRange();
            before.setStart(paragraph, 0);
            before.setEnd(node, offset);
            const text = before.cloneContents();
            text.querySelectorAll(".statement-number").forEach((number) => number.remove());
            return Number(paragraph.dataset.start) + text.textContent.length;
        };

        // The text node and offset where a body offset falls, the inverse of bodyOffset.
        const domPoint = (position) => {
            const paragraphs = [...source.querySelectorAll("p[data-start]")];
            const paragraph = paragraphs.findLast((p) => Number(p.dataset.start) <= position);
            if (!paragraph) {
                return null;
            }
            let remaining = position - Number(paragraph.dataset.start);
            const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT, {
                acceptNode: (node) =>
                    node.parentElement.closest(".statement-number")
                        ? NodeFilter.FILTER_REJECT
                        : NodeFilter.FILTER_ACCEPT,
            });
            let last = null;
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (remaining <= node.length) {
                    return [node, remaining];
                }
                remaining -= node.length;
                last = node;
            }
            return last && [last, last.length];
        };

        const show = (start, end, kind) => {
            if (!("highlights" in CSS)) {
                return;
            }
            CSS.highlights.delete("words-found");
            CSS.highlights.delete("words-nearest");
            const first = domPoint(start);
            const last = domPoint(end);
            if (!first || !last) {
                return;
            }
            const range = document.createRange();
            range.setStart(...first);
            range.setEnd(...last);
            CSS.highlights.set(`words-${kind}`, new Highlight(range));
            // Bring it into view within the body's own scrolling panel, never moving the page.
            const panel = desk.querySelector(".statement-desk__body");
            const box = range.getBoundingClientRect();
            const frame = panel.getBoundingClientRect();
            if (panel.scrollHeight > panel.clientHeight && (box.top < frame.top || box.bottom > frame.bottom)) {
                panel.scrollTop += box.top - frame.top - frame.height / 3;
            }
        };

        // The selection, as the body's words: spaces and the quotation marks around a quote
        // left out, and whether the body prints the words inside quotation marks.
        const selection = () => {
            const chosen = window.getSelection();
            if (!chosen.rangeCount || chosen.isCollapsed) {
                return null;
            }
            const range = chosen.getRangeAt(0);
            let start = bodyOffset(range.startContainer, range.startOffset);
            let end = bodyOffset(range.endContainer, range.endOffset);
            if (start === null || end === null) {
                return null;
            }
            while (start < end && /\s/.test(body[start])) start += 1;
            while (end > start && /\s/.test(body[end - 1])) end -= 1;
            let quoted = false;
            if (OPENING_QUOTES.includes(body[start]) && CLOSING_QUOTES.includes(body[end - 1]) && end - start > 2) {
                start += 1;
                end -= 1;
                quoted = true;
            }
            if (start >= end) {
                return null;
            }
            const after = body.slice(end, end + 2).replace(/^[.,;:!?]/, "");
            quoted ||= OPENING_QUOTES.includes(body[start - 1]) && CLOSING_QUOTES.includes(after[0]);
            return { start, end, quoted, text: body.slice(start, end) };
        };

        const rows = () =>
            [...desk.querySelectorAll("#statements-group .inline-related")].filter(
                (row) => /^statements-\d+$/.test(row.id),
            );
        const field = (row, name) => row.querySelector(`[name$="-${name}"]`);

        const emptyRow = () =>
            rows().find(
                (row) => !field(row, "id")?.value && !field(row, "party").value && !field(row, "text").value.trim(),
            );

        const newRow = () => {
            const add = desk.querySelector("#statements-group .add-row a");
            if (!add) {
                return null;
            }
            add.click();
            return rows().at(-1);
        };

        const statusOf = (row) => {
            let status = row.querySelector(".words-check");
            if (!status) {
                status = document.createElement("p");
                status.className = "words-check";
                status.setAttribute("aria-live", "polite");
                field(row, "text").after(status);
            }
            return status;
        };

        const check = async (row) => {
            const words = field(row, "text").value;
            const status = statusOf(row);
            if (!words.trim()) {
                status.textContent = "";
                return;
            }
            const data = new FormData();
            data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
            data.append("words", words);
            data.append("article", desk.dataset.article);
            const bodyField = form.querySelector("#id_body");
            if (bodyField) {
                data.append("body", bodyField.value);
            }
            const near = field(row, "selected_at")?.value;
            if (near) {
                data.append("near", near);
            }
            checking.set(row, words);
            let answer;
            try {
                const response = await fetch(desk.dataset.findWordsUrl, { method: "POST", body: data, credentials: "same-origin" });
                if (!response.ok) {
                    throw new Error(response.statusText);
                }
                answer = await response.json();
            } catch {
                status.textContent = "The words could not be checked now; saving checks them.";
                status.className = "words-check";
                return;
            }
            if (checking.get(row) !== words) {
                return;  // the curator typed on since; a newer answer follows
            }
            status.textContent = answer.message;
            status.className = `words-check words-check--${answer.found ? "found" : "missing"}`;
            if (!answer.shown) {
                if (answer.found) {
                    status.textContent += " (in the body as edited above: save to see it highlighted)";
                }
                return;
            }
            if (answer.found) {
                show(answer.start, answer.end, "found");
            } else if (answer.nearest) {
                show(answer.nearest.start, answer.nearest.end, "nearest");
            }
        };

        const makeStatement = () => {
            const words = selected;
            const row = words && (emptyRow() || newRow());
            if (!row) {
                return;
            }
            field(row, "text").value = words.text;
            let place = field(row, "selected_at");
            if (!place) {
                place = document.createElement("input");
                place.type = "hidden";
                place.name = field(row, "text").name.replace(/-text$/, "-selected_at");
                row.append(place);
            }
            place.value = words.start;
            field(row, "mode").value = words.quoted ? "direct_quote" : "paraphrase";
            window.getSelection().removeAllRanges();
            row.scrollIntoView({ block: "nearest" });
            check(row);
            const party = field(row, "party");
            if (window.django?.jQuery && party.classList.contains("admin-autocomplete")) {
                window.django.jQuery(party).select2("open");
            } else {
                party.focus();
            }
        };

        document.addEventListener("selectionchange", () => {
            selected = selection();
            makeButton.disabled = !selected;
            selectionHelp.textContent = selected
                ? `Selected: “${selected.text.length > 90 ? selected.text.slice(0, 89) + "…" : selected.text}”${selected.quoted ? " (a quote)" : ""}`
                : "Select the words of a statement in the body below.";
        });
        makeButton.addEventListener("click", makeStatement);

        let typing = null;
        desk.addEventListener("input", (event) => {
            const row = event.target.matches("textarea[name$='-text']") && event.target.closest(".inline-related");
            if (row) {
                clearTimeout(typing);
                typing = setTimeout(() => check(row), 300);
            }
        });
        desk.addEventListener("focusin", (event) => {
            const row = event.target.matches("textarea[name$='-text']") && event.target.closest(".inline-related");
            if (row) {
                check(row);
            }
        });
        tools.hidden = false;
    }
});
