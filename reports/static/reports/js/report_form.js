/* Report a problem: show the chosen category's questions, follow the pin on the map (the list
   of categories is narrowed to those handled at that point) and keep a double click from
   sending twice. The form works without any of this; the server checks everything again. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("report-form");
  if (!form) return;

  var category = form.elements.category;
  var flags = JSON.parse(document.getElementById("category-flags").textContent);
  var notice = document.getElementById("category-notice");
  var latInput = form.elements.lat;
  var lonInput = form.elements.lon;
  var pointRadio = form.querySelector('input[name="location"][value="point"]');
  var photoRadio = form.querySelector('input[name="location"][value="photo"]');
  var anonymous = form.elements.is_anonymous;
  var anonymousNotAllowed = document.getElementById("anonymous-not-allowed");
  var options = Array.prototype.slice.call(category.options);

  function syncCategory() {
    var code = category.value;
    form.querySelectorAll("fieldset.questions").forEach(function (set) {
      var chosen = set.dataset.category === code;
      set.hidden = !chosen;
      set.disabled = !chosen; // a disabled fieldset is not sent
    });
    var allows = !code || !flags[code] || flags[code].allows_anonymous;
    anonymous.disabled = !allows;
    if (!allows) anonymous.checked = false;
    anonymousNotAllowed.hidden = allows;
  }
  category.addEventListener("change", syncCategory);
  syncCategory();

  function say(text) {
    notice.textContent = text || "";
    notice.hidden = !text;
  }

  function offer(codes) {
    options.forEach(function (option) {
      if (!option.value) return;
      var offered = codes === null || codes.has(option.value);
      option.disabled = !offered;
      option.hidden = !offered;
    });
  }

  var asked = 0;
  function followPoint(lat, lon) {
    var mine = ++asked;
    var url = form.dataset.categoriesUrl + "?lat=" + encodeURIComponent(lat) +
      "&lon=" + encodeURIComponent(lon);
    CivicMaps.getJSON(url).then(function (data) {
      if (mine !== asked) return;
      if (data.inside_city === false) {
        offer(new Set());
        say(notice.dataset.outside);
        return;
      }
      var codes = new Set(data.categories.map(function (c) { return c.code; }));
      offer(codes);
      if (category.value && !codes.has(category.value)) {
        category.value = "";
        syncCategory();
        say(notice.dataset.notOffered);
      } else {
        say(codes.size < options.length - 1 ? notice.dataset.someOffered : "");
      }
    }).catch(function () {
      offer(null);
      say("");
    });
  }

  function forgetPoint() {
    asked++;
    offer(null);
    say("");
  }

  var marker = null;
  var map = null;
  var mapEl = document.getElementById("location-map");

  function showPin(lat, lon) {
    if (!map) return;
    var latlng = map.toMap(lat, lon);
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, icon: CivicMaps.markerIcon(mapEl), autoPan: true });
      marker.on("dragend", function () { usePoint(map.fromMap(marker.getLatLng()), true); });
      marker.addTo(map);
    } else {
      marker.setLatLng(latlng);
    }
  }

  function usePoint(latlng, fromMap) {
    latInput.value = latlng.lat.toFixed(6);
    lonInput.value = latlng.lng.toFixed(6);
    pointRadio.checked = true;
    if (!fromMap) map && map.setView(map.toMap(latlng.lat, latlng.lng), Math.max(map.getZoom(), 15));
    showPin(latlng.lat, latlng.lng);
    followPoint(latInput.value, lonInput.value);
    form.dispatchEvent(new Event("civic:point"));
  }

  function typedPoint() {
    var lat = parseFloat(latInput.value);
    var lon = parseFloat(lonInput.value);
    if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      pointRadio.checked = true;
      showPin(lat, lon);
      followPoint(lat, lon);
    }
  }
  latInput.addEventListener("change", typedPoint);
  lonInput.addEventListener("change", typedPoint);

  photoRadio.addEventListener("change", function () {
    if (!photoRadio.checked) return;
    latInput.value = "";
    lonInput.value = "";
    if (marker) {
      marker.remove();
      marker = null;
    }
    forgetPoint();
  });

  if (window.L && mapEl) {
    document.getElementById("location-map-block").hidden = false;
    map = CivicMaps.baseMap(mapEl);
    map.on("click", function (event) { usePoint(map.fromMap(event.latlng), true); });
    CivicMaps.placeSearch(map, document.getElementById("place-search"), function (latlng) {
      usePoint(latlng, true);
    });
    var hasPoint = pointRadio.checked && latInput.value && lonInput.value;
    CivicMaps.cityLayers(map, mapEl).then(function (layer) {
      if (hasPoint) {
        map.setView(map.toMap(parseFloat(latInput.value), parseFloat(lonInput.value)), 15);
      } else {
        CivicMaps.fitOrWorld(map, layer);
      }
    }).catch(function () {
      CivicMaps.fitOrWorld(map, null);
    });
    if (hasPoint) typedPoint();

    var here = document.getElementById("use-my-position");
    if ("geolocation" in navigator && window.isSecureContext) {
      here.hidden = false;
      here.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          usePoint(L.latLng(position.coords.latitude, position.coords.longitude), false);
        }, function () {}, { enableHighAccuracy: true, timeout: 15000 });
      });
    }
  }

  /* "Is it one of these?": the one list of open reports near the pin that may be this problem,
     ranked by smart intake's similarity to the description where it has one, then the chosen
     category's nearest; "this is mine too" posts the support form (the report's own fields
     are not sent: urlencoded). */
  var nearby = document.getElementById("nearby");
  var nearbyList = nearby.querySelector(".nearby-list");
  var nearbyAsked = 0;
  function showNearby() {
    var lat = parseFloat(latInput.value);
    var lon = parseFloat(lonInput.value);
    var mine = ++nearbyAsked;
    var text = form.elements.description.value.trim();
    if ((!category.value && text.length < 2) || !isFinite(lat) || !isFinite(lon)) {
      nearby.hidden = true;
      return;
    }
    var url = nearby.dataset.url + "?lat=" + lat + "&lon=" + lon +
      "&category=" + encodeURIComponent(category.value) + "&text=" + encodeURIComponent(text);
    CivicMaps.getJSON(url).then(function (data) {
      if (mine !== nearbyAsked) return;
      nearbyList.replaceChildren();
      data.reports.forEach(function (report) {
        var item = document.createElement("li");
        item.className = "nearby-report";
        var link = document.createElement("a");
        link.href = report.url;
        link.textContent = report.category + " #" + report.id;
        var facts = document.createElement("span");
        facts.className = "help";
        facts.textContent = " · " + report.state_label + " · " + report.created_at + " · " +
          nearby.dataset.metres.replace("%(metres)s", report.distance);
        item.append(link, facts);
        if (report.description) {
          var said = document.createElement("p");
          said.className = "help";
          said.textContent = report.description;
          item.appendChild(said);
        }
        if (report.can_support) {
          var same = document.createElement("button");
          same.type = "submit";
          same.className = "button secondary";
          same.formAction = report.support_url;
          same.formMethod = "post";
          same.formEnctype = "application/x-www-form-urlencoded";
          same.formNoValidate = true;
          same.textContent = nearby.dataset.same;
          item.appendChild(same);
        } else {
          var note = document.createElement("p");
          note.className = "help";
          note.textContent = nearby.dataset.supported;
          item.appendChild(note);
        }
        nearbyList.appendChild(item);
      });
      nearby.hidden = data.reports.length === 0;
    }).catch(function () {
      nearby.hidden = true;
    });
  }
  category.addEventListener("change", showNearby);
  latInput.addEventListener("change", showNearby);
  form.addEventListener("civic:point", showNearby);
  showNearby();

  /* Previews of the chosen photos, each with a button that takes it out of its input. */
  var previews = document.getElementById("photo-previews");
  var photoInputs = Array.prototype.slice.call(form.querySelectorAll('input[type="file"][name="photos"]'));
  function renderPreviews() {
    previews.querySelectorAll("img").forEach(function (img) { URL.revokeObjectURL(img.src); });
    previews.replaceChildren();
    photoInputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files, function (file, index) {
        var item = document.createElement("li");
        item.className = "kept-photo";
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button secondary";
        remove.textContent = previews.dataset.remove;
        remove.setAttribute("aria-label", previews.dataset.remove + ": " + file.name);
        remove.addEventListener("click", function () {
          var kept = new DataTransfer();
          Array.prototype.forEach.call(input.files, function (other, otherIndex) {
            if (otherIndex !== index) kept.items.add(other);
          });
          input.files = kept.files;
          renderPreviews();
        });
        item.append(img, remove);
        previews.appendChild(item);
      });
    });
  }
  photoInputs.forEach(function (input) { input.addEventListener("change", renderPreviews); });
  renderPreviews();


  // Smart intake: as the resident types, suggest categories (one tap to choose) and ask the
  // "is it one of these?" list again, debounced; the newest answer wins.
  var description = form.elements.description;
  var suggestions = document.getElementById("suggestions");
  var suggestionList = document.getElementById("suggestion-list");
  var typing = null;
  var suggested = 0;

  function showSuggestions(items) {
    suggestionList.textContent = "";
    items.forEach(function (item) {
      var option = options.filter(function (o) { return o.value === item.code; })[0];
      if (!option || option.disabled) return;
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary suggestion";
      button.dataset.code = item.code;
      button.textContent = item.name + " · " + Math.round(item.confidence * 100) + "%";
      button.setAttribute("aria-pressed", String(category.value === item.code));
      button.addEventListener("click", function () {
        category.value = item.code;
        syncCategory();
        suggestionList.querySelectorAll("button").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b === button));
        });
      });
      li.appendChild(button);
      suggestionList.appendChild(li);
    });
    suggestions.hidden = !suggestionList.children.length;
  }

  function askSuggestions() {
    var mine = ++suggested;
    var text = description.value.trim();
    if (text.length < 2) {
      showSuggestions([]);
      return;
    }
    var url = form.dataset.suggestUrl + "?text=" + encodeURIComponent(text);
    if (pointRadio.checked && latInput.value && lonInput.value) {
      url += "&lat=" + encodeURIComponent(latInput.value) + "&lon=" + encodeURIComponent(lonInput.value);
    }
    CivicMaps.getJSON(url).then(function (data) {
      if (mine !== suggested) return;
      showSuggestions(data.suggestions);
    }).catch(function () {});
  }

  description.addEventListener("input", function () {
    window.clearTimeout(typing);
    typing = window.setTimeout(function () {
      askSuggestions();
      showNearby();
    }, 400);
  });
  if (description.value.trim()) askSuggestions();

  var submit = form.querySelector('button[type="submit"]:not([formaction])');
  var label = submit.textContent;
  form.addEventListener("submit", function () {
    // The hidden request id makes a second submission harmless; this only spares the wait.
    window.setTimeout(function () {
      submit.disabled = true;
      submit.textContent = submit.dataset.sending;
    }, 0);
  });
  window.addEventListener("pageshow", function () {
    submit.disabled = false;
    submit.textContent = label;
  });

  var problems = document.getElementById("form-problems");
  if (problems) problems.focus();
})();
