/* Describe images as they are chosen: for each file picked in a composer's image input, a
   description field appears at once (name "new_alt", in the order of the files), so the post can
   be published in one step. Without JavaScript, "Attach images" brings the files back with a
   description field each; the server accepts both. */
(function () {
  "use strict";

  function setup(input) {
    var template = input.getAttribute("data-alt-label");
    if (!template) { return; }
    var list = document.createElement("ol");
    list.className = "new-image-alts";
    list.id = input.id + "-alts";
    input.closest(".field").appendChild(list);

    input.addEventListener("change", function () {
      list.textContent = "";
      Array.prototype.forEach.call(input.files || [], function (file, index) {
        var item = document.createElement("li");
        item.className = "field";
        var label = document.createElement("label");
        var field = document.createElement("input");
        field.type = "text";
        field.name = "new_alt";
        field.maxLength = 500;
        field.id = list.id + "-" + index;
        label.htmlFor = field.id;
        label.textContent = template.replace("%s", file.name);
        item.appendChild(label);
        item.appendChild(field);
        list.appendChild(item);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[type=file][data-alt-label]"), setup);
})();
