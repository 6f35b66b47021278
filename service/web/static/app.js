// factgraph UI: show a highlight's details in the side panel; fill the query editor; post a
// reviewer's judgement (with the update token, kept in sessionStorage for this tab only).
"use strict";
(function () {
  document.body.classList.remove("no-js");
  document.body.classList.add("js");

  // --- document page: highlight -> detail panel ---
  var panel = document.getElementById("panel");
  function show(ref) {
    if (!panel || !ref) return;
    var detail = document.getElementById("detail-" + ref);
    if (!detail) return;
    panel.querySelectorAll(".detail.active").forEach(function (d) { d.classList.remove("active"); });
    document.querySelectorAll(".hl.current").forEach(function (h) { h.classList.remove("current"); });
    detail.classList.add("active");
    panel.classList.add("has-active");
    document.querySelectorAll('.text [data-ref="' + ref + '"]').forEach(function (h) { h.classList.add("current"); });
  }
  function refOf(event) {
    var el = event.target.closest && event.target.closest(".text [data-ref]");
    return el ? el.getAttribute("data-ref") : null;
  }
  if (panel) {
    var text = document.getElementById("text");
    var pinned = null;
    text.addEventListener("mouseover", function (e) { var r = refOf(e); if (r && !pinned) show(r); });
    text.addEventListener("focusin", function (e) { var r = refOf(e); if (r) show(r); });
    text.addEventListener("click", function (e) { var r = refOf(e); if (r) { pinned = r; show(r); } });
    text.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { var r = refOf(e); if (r) { pinned = r; show(r); } }
    });
    function fromHash() {
      var id = decodeURIComponent(location.hash.slice(1));
      if (/^(statement|quantity|date)-\d+$/.test(id)) { pinned = id; show(id); }
    }
    window.addEventListener("hashchange", fromHash);
    fromHash();
  }

  // --- SPARQL page: examples fill the editor ---
  var editor = document.getElementById("query");
  var queries = document.getElementById("example-queries");
  var keys = document.getElementById("example-keys");
  if (editor && queries && keys) {
    var texts = JSON.parse(queries.textContent);
    var names = JSON.parse(keys.textContent);
    document.querySelectorAll("a.example").forEach(function (link) {
      link.addEventListener("click", function (e) {
        var i = names.indexOf(link.getAttribute("data-example"));
        if (i < 0) return;
        e.preventDefault();
        editor.value = texts[i];
        editor.focus();
      });
    });
  }

  // --- claim page: confirm or reject a comparison or a review's link ---
  var judge = document.getElementById("judge");
  if (judge) {
    var token = document.getElementById("token");
    var reviewer = document.getElementById("reviewer");
    var said = document.getElementById("judge-status");
    token.value = sessionStorage.getItem("factgraph-token") || "";
    reviewer.value = localStorage.getItem("factgraph-reviewer") || "";
    function tell(message) { said.textContent = message; said.className = "error"; }
    document.querySelectorAll("button.judge").forEach(function (button) {
      button.addEventListener("click", function () {
        var name = reviewer.value.trim();
        if (!name) { tell("Give your name: the judgement is stored with it."); reviewer.focus(); return; }
        var body = { verdict: button.getAttribute("data-verdict"), reviewer: name };
        if (button.hasAttribute("data-comparison")) {
          body.comparison = button.getAttribute("data-comparison");
        } else {
          body.review = button.getAttribute("data-review");
          body.claim = button.getAttribute("data-claim");
        }
        var headers = { "Content-Type": "application/json" };
        var secret = token.value.trim();
        if (secret) headers.Authorization = "Bearer " + secret;
        sessionStorage.setItem("factgraph-token", secret);
        localStorage.setItem("factgraph-reviewer", name);
        said.textContent = "Saving…"; said.className = "";
        fetch("/judgements", { method: "POST", headers: headers, body: JSON.stringify(body) })
          .then(function (response) {
            if (response.status === 201) { location.reload(); return null; }
            return response.json().then(function (answer) {
              tell("Not stored (HTTP " + response.status + "): " + ((answer && answer.error) || response.statusText));
            }, function () { tell("Not stored (HTTP " + response.status + ")."); });
          })
          .catch(function () { tell("Not stored: the server could not be reached."); });
      });
    });
  }

  // --- add page: post the text or the link to /documents, then open the new document ---
  var form = document.getElementById("add-form");
  if (form) {
    var error = document.getElementById("add-error");
    var progress = document.getElementById("add-progress");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = document.getElementById("add-text").value;
      var url = document.getElementById("add-url").value.trim();
      var token = document.getElementById("add-token");
      var headers = { "Content-Type": "application/json" };
      if (token && token.value) headers.Authorization = "Bearer " + token.value;
      var body = text.trim() ? { text: text } : { url: url };
      error.hidden = true;
      progress.hidden = false;
      fetch("/documents", { method: "POST", headers: headers, body: JSON.stringify(body) })
        .then(function (response) {
          return response.json().then(function (answer) { return [response.status, answer]; });
        })
        .then(function (pair) {
          progress.hidden = true;
          if (pair[0] === 201) {
            location.href = "/ui/documents/" + pair[1].iri.split("/").pop();
          } else {
            error.textContent = pair[1].error || ("the server answered " + pair[0]);
            error.hidden = false;
          }
        })
        .catch(function (failure) {
          progress.hidden = true;
          error.textContent = "the server could not be reached: " + failure;
          error.hidden = false;
        });
    });
  }
})();
