// Add to the cart without leaving the page: the form posts in the background, the header's
// count and the status line change in place. Without JavaScript (or when the request fails
// before an answer) the form posts as usual and the page reloads with the same message.
document.querySelectorAll("form[data-ajout-panier]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        document.querySelectorAll(".cart-count").forEach(function (count) {
          count.textContent = "(" + answer.count + ")";
          count.setAttribute("aria-label", answer.count + " article" + (answer.count > 1 ? "s" : ""));
        });
        var zone = document.getElementById("annonces");
        var list = document.createElement("ul");
        var line = document.createElement("li");
        list.className = "messages";
        line.className = answer.ok ? "msg-success" : "msg-error";
        line.textContent = answer.message;
        list.appendChild(line);
        zone.replaceChildren(list);
        if (button) { button.disabled = false; }
      })
      .catch(function () { form.submit(); });
  });
});
