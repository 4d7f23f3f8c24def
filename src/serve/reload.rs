//! The live-reload channel's client side: a small script injected into HTML
//! served by `blog serve` (never into what `blog build` writes) that listens
//! for server-sent events, reloads the page or swaps stylesheets, and the
//! overlay that shows build errors over the page.

use crate::diagnostics::Diagnostic;
use crate::serve::http::EVENTS_PATH;

const SCRIPT: &str = r#"<script data-blog-serve>
(function () {
  var source = new EventSource("__EVENTS__");
  source.onmessage = function (event) {
    if (event.data === "css") {
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
        var url = new URL(link.href);
        url.searchParams.set("blog-reload", Date.now());
        link.href = url.toString();
      });
    } else if (event.data.indexOf("reload-only ") === 0) {
      // "reload-only [served file, …]": the files a save changed; tabs
      // showing another page stay as they are.
      var files = JSON.parse(event.data.slice(12));
      var key = decodeURIComponent(location.pathname).replace(/^\/+/, "");
      if (key === "" || key.slice(-1) === "/") {
        key += "index.html";
      }
      // A tab at `/posts/new` shows the 404 page until `/posts/new/` exists.
      if (files.indexOf(key) >= 0 || files.indexOf(key + "/index.html") >= 0) {
        location.reload();
      }
    } else if (event.data.indexOf("reload") === 0) {
      // "reload", or "reload {old path: new path}" when pages moved.
      var moved = event.data.length > 7 ? JSON.parse(event.data.slice(7)) : {};
      var to = moved[location.pathname];
      if (to) {
        location.replace(to + location.search + location.hash);
      } else {
        location.reload();
      }
    }
  };
})();
</script>
"#;

/// Adds the script (and the overlay when there are errors) before `</body>`,
/// or at the end when there is none. Warnings among `errors` (a failed
/// build reports them with its errors) are left to the terminal.
pub fn inject(html: &[u8], errors: &[Diagnostic]) -> Vec<u8> {
    let mut extra = SCRIPT.replace("__EVENTS__", EVENTS_PATH);
    let errors: Vec<&Diagnostic> = errors.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        extra.push_str(&overlay(&errors));
    }
    let position = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..position]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[position..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

fn overlay(errors: &[&Diagnostic]) -> String {
    let mut items = String::new();
    for d in errors {
        let mut location = d.path.display().to_string();
        if let Some(line) = d.line {
            location.push_str(&format!(":{line}:{}", d.column.unwrap_or(1)));
        }
        items.push_str(&format!(
            "<li><code>{}</code>: {}{}</li>",
            escape(&location),
            escape(&d.message),
            d.hint
                .as_ref()
                .map(|h| format!("<br><small>hint: {}</small>", escape(h)))
                .unwrap_or_default()
        ));
    }
    format!(
        "<div id=\"blog-error-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
         background:rgba(20,20,24,.94);color:#fdd;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem\">\
         <h2 style=\"color:#ff8a80;margin-top:0\">The last save did not build ({} error{})</h2>\
         <p>This page is the last good build. Fix the file and save; this message goes away by itself.</p>\
         <ul>{items}</ul></div>\n",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(&mut out), text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_body_end() {
        let html = inject(b"<html><body><p>x</p></body></html>", &[]);
        let text = String::from_utf8(html).expect("utf8");
        assert!(text.contains("<p>x</p><script data-blog-serve>"));
        assert!(text.ends_with("</script>\n</body></html>"));
        assert!(!text.contains("blog-error-overlay"));
    }

    #[test]
    fn overlay_lists_escaped_errors() {
        let errors = vec![Diagnostic::new("content/a.md", "bad <tag>")
            .at(3, 7)
            .hint("fix it")];
        let text = String::from_utf8(inject(b"no body tag", &errors)).expect("utf8");
        assert!(text.starts_with("no body tag<script"));
        assert!(text.contains("content/a.md:3:7</code>: bad &lt;tag&gt;"));
        assert!(text.contains("hint: fix it"));
    }

    #[test]
    fn warnings_are_not_shown_as_errors() {
        let warnings = vec![Diagnostic::new("content/a.md", "broken link").warning()];
        let text = String::from_utf8(inject(b"<body></body>", &warnings)).expect("utf8");
        assert!(!text.contains("blog-error-overlay"));
        let mixed = vec![
            Diagnostic::new("content/a.md", "broken link").warning(),
            Diagnostic::new("content/b.md", "bad date"),
        ];
        let text = String::from_utf8(inject(b"<body></body>", &mixed)).expect("utf8");
        assert!(text.contains("(1 error)") && !text.contains("broken link"));
    }
}
