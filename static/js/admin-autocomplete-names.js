"use strict";
// Gives the admin's autocomplete boxes (select2) an accessible name.
//
// select2 labels its combobox only by the selected value, which is empty until the editor
// picks one, so a screen reader announces a nameless box (axe-core: aria-input-field-name).
// We add the field's own name (its <label>, or the aria-label the inline formset gives each
// column) in front of the value: "Author, Helena Marsh". Autocompletes that appear later
// (a new inline row) are named as they appear. The page works the same without this script.
{
    const nameOf = (select) => {
        const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        return (label ? label.textContent : select.getAttribute("aria-label") || "")
            .replace(/:\s*$/, "").trim();
    };

    const name = (selection) => {
        const container = selection.closest(".select2-container");
        const select = container && container.previousElementSibling;
        const rendered = selection.querySelector(".select2-selection__rendered");
        if (!select || select.tagName !== "SELECT" || !rendered || selection.dataset.named) {
            return;
        }
        const text = nameOf(select);
        if (!text) {
            return;
        }
        const nameId = `${select.id || rendered.id}-name`;
        let hidden = document.getElementById(nameId);
        if (!hidden) {
            hidden = document.createElement("span");
            hidden.id = nameId;
            hidden.hidden = true;
            hidden.textContent = text;
            container.append(hidden);
        }
        selection.setAttribute("aria-labelledby", `${nameId} ${rendered.id}`);
        // select2 also makes the shown value a read-only textbox: it gets the name too.
        rendered.setAttribute("aria-labelledby", nameId);
        selection.dataset.named = "yes";
    };

    // A multiple choice (e.g. "This article resolves") types into a search box inside the
    // selection, which select2 may redraw: name it whenever it is unnamed.
    const nameSearch = (field) => {
        const container = field.closest(".select2-container");
        const select = container && container.previousElementSibling;
        if (select && select.tagName === "SELECT" && !field.getAttribute("aria-label")) {
            field.setAttribute("aria-label", nameOf(select));
        }
    };

    const nameAll = (root) => {
        root.querySelectorAll(".select2-selection[role=combobox]").forEach(name);
        root.querySelectorAll(".select2-selection--multiple .select2-search__field").forEach(nameSearch);
    };

    window.addEventListener("load", () => {
        nameAll(document);
        new MutationObserver(() => nameAll(document)).observe(document.body, {
            childList: true,
            subtree: true,
        });
    });
}
