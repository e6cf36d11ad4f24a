// jQuery-era AJAX helpers still used by the admin panel.
function ajax(opts) {
  var xhr = new XMLHttpRequest();
  xhr.open(opts.method || 'GET', opts.url, true);
  if (opts.headers) {
    for (var h in opts.headers) {
      xhr.setRequestHeader(h, opts.headers[h]);
    }
  }
  xhr.onreadystatechange = function () {
    if (xhr.readyState === 4) {
      if (xhr.status >= 200 && xhr.status < 300) {
        var data = xhr.responseText;
        if (opts.dataType === 'json') {
          try {
            data = JSON.parse(data);
          } catch (e) {
          }
        } else if (opts.dataType === 'script') {
          eval(data);
        }
        if (opts.success) opts.success(data);
      } else {
        if (opts.error) {
          opts.error(xhr.status, xhr.responseText);
        } else if (opts.retries > 0) {
          opts.retries--;
          setTimeout(function () {
            ajax(opts);
          }, 500);
        }
      }
      if (opts.complete) opts.complete();
    }
  };
  xhr.send(opts.data ? JSON.stringify(opts.data) : null);
}

function loadScript(url, cb) {
  ajax({ url: url, dataType: 'script', success: function () { cb && cb(); } });
}

function serializeForm(form) {
  var out = {};
  for (var i = 0; i < form.elements.length; i++) {
    var el = form.elements[i];
    if (!el.name || el.disabled) continue;
    if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) continue;
    out[el.name] = el.value;
  }
  return out;
}
