/* Reactions without a page reload: the same form is sent with fetch and the buttons are updated
   from the counts the server answers with. Without JavaScript the form posts and the page reloads. */
(function () {
  "use strict";
  function update(form, reactions) {
    reactions.forEach(function (reaction) {
      var button = form.querySelector("button[value='" + reaction.kind + "']");
      if (!button) { return; }
      button.name = reaction.mine ? "remove" : "add";
      button.setAttribute("aria-pressed", reaction.mine ? "true" : "false");
      button.classList.toggle("mine", reaction.mine);
      var count = button.querySelector(".reaction-count");
      if (reaction.count && !count) {
        count = document.createElement("span");
        count.className = "reaction-count";
        button.appendChild(document.createTextNode(" "));
        button.appendChild(count);
      }
      if (count) {
        if (reaction.count) { count.textContent = String(reaction.count); } else { count.remove(); }
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("reaction-form") || !event.submitter) { return; }
    event.preventDefault();
    var data = new FormData(form);
    data.append(event.submitter.name, event.submitter.value);
    event.submitter.disabled = true;
    fetch(form.action, {method: "POST", body: data, credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (body) { update(form, body.reactions || []); })
      .catch(function () { form.submit(); })  /* fall back to the plain form */
      .finally(function () { event.submitter.disabled = false; });
  });
})();
