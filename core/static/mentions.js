/* Mention autocomplete: after "@" in a composer, suggest members of the group (from the JSON
   endpoint in the form's data-mentions). Arrow keys move, Enter or Tab picks, Escape closes.
   Without JavaScript nothing changes: "@name" typed in full works the same. */
(function () {
  "use strict";
  var TOKEN = /(^|[^\w@\/.])@([a-z0-9_]{1,32})$/i;

  function setup(form) {
    var area = form.querySelector("textarea[name=body]");
    var url = form.getAttribute("data-mentions");
    if (!area || !url) { return; }
    var list = document.createElement("ul");
    list.className = "mention-suggestions";
    list.id = area.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    area.parentNode.insertBefore(list, area.nextSibling);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    var items = [], active = -1, pending = null, lastQuery = "";

    function close() { list.hidden = true; items = []; active = -1; area.removeAttribute("aria-activedescendant"); }

    function mark(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) { area.setAttribute("aria-activedescendant", list.children[index].id); }
    }

    function pick(index) {
      var person = items[index];
      var before = area.value.slice(0, area.selectionStart);
      var after = area.value.slice(area.selectionStart);
      var match = TOKEN.exec(before);
      if (!person || !match) { close(); return; }
      var start = before.length - match[2].length;
      area.value = before.slice(0, start) + person.username + " " + after;
      var caret = start + person.username.length + 1;
      area.setSelectionRange(caret, caret);
      close();
      area.focus();
    }

    function show(people) {
      items = people;
      list.textContent = "";
      people.forEach(function (person, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.textContent = person.display_name + " (@" + person.username + ")";
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      list.hidden = people.length === 0;
      mark(people.length ? 0 : -1);
    }

    area.addEventListener("input", function () {
      var match = TOKEN.exec(area.value.slice(0, area.selectionStart));
      if (!match) { close(); return; }
      var query = match[2];
      if (query === lastQuery && !list.hidden) { return; }
      lastQuery = query;
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin", signal: pending.signal,
                                                      headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {items: []}; })
        .then(function (data) { show(data.items || []); })
        .catch(function () { /* aborted or offline: no suggestions */ });
    });

    area.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); mark((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" || event.key === "Tab") { if (active >= 0) { event.preventDefault(); pick(active); } }
      else if (event.key === "Escape") { close(); }
    });
    area.addEventListener("blur", close);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-mentions]"), setup);
})();
