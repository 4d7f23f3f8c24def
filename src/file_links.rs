//! Links to markdown files become links to the pages those files make:
//! `other.md`, `../notes/b.md#part`, `/posts/b.md` and Zola's
//! `@/posts/b.md` are written as the target's permalink once the site model
//! knows every URL, so an author links by file and a changed slug or date
//! never breaks the link. Links naming no published file are left as they
//! are, and the link checker reports them (`crate::links`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::content::page::{Page, SourceLink};
use crate::links::{markdown_file, source_key};
use crate::site::Section;

/// The URL path of every page and section by its source file, and of
/// every Jekyll post by the name `{% post_url %}` gives it.
#[derive(Default)]
pub struct FileUrls {
    files: HashMap<String, String>,
    /// `2010-07-21-name` and `folder/2010-07-21-name` for
    /// `_posts/folder/2010-07-21-name.md`, wherever that `_posts` is.
    posts: HashMap<String, String>,
}

impl FileUrls {
    pub fn new<'a>(files: impl Iterator<Item = (&'a Path, &'a str)>) -> Self {
        let files: HashMap<String, String> = files
            .map(|(source, url)| (source_key(source), url.to_string()))
            .collect();
        let mut posts = HashMap::new();
        for (file, url) in &files {
            let Some((_, name)) = file.rsplit_once("_posts/") else {
                continue;
            };
            let name = name
                .strip_suffix(".md")
                .or_else(|| name.strip_suffix(".markdown"))
                .unwrap_or(name);
            posts.insert(name.to_string(), url.clone());
            if let Some((_, stem)) = name.rsplit_once('/') {
                posts.entry(stem.to_string()).or_insert_with(|| url.clone());
            }
        }
        FileUrls { files, posts }
    }

    /// Every page and section of a site model.
    pub fn of(pages: &[Arc<Page>], sections: &[Section]) -> Self {
        let pages = pages.iter().map(|p| (p.source.as_path(), p.path.as_str()));
        let sections = sections
            .iter()
            .filter_map(|s| Some((s.source.as_deref()?, s.url.as_str())));
        FileUrls::new(pages.chain(sections))
    }

    /// The URL path of the page or section made from `file`, as
    /// `markdown_file` names it.
    pub fn url_of(&self, file: &str) -> Option<&str> {
        self.files
            .get(file)
            .or_else(|| self.post_named(file))
            .map(String::as_str)
    }

    /// `content/_posts/NAME.md`, as Jekyll's `{% post_url NAME %}` is
    /// rewritten (`crate::dialect::jekyll`), names the post called NAME
    /// wherever it is under `_posts` and whatever its extension.
    fn post_named(&self, file: &str) -> Option<&String> {
        let name = file
            .trim_start_matches('/')
            .strip_prefix(&format!("{}/_posts/", crate::content::load::CONTENT_DIR))?
            .strip_suffix(".md")?;
        self.posts.get(name)
    }

    /// The URL path (`/posts/b/`) of the page a link written in `from`
    /// names, with its fragment; `None` when it is not a markdown file link
    /// or names no page.
    /// A link to a file that is not there is looked up as Hugo's `ref` looks
    /// (`links::markdown_file_alternatives`): a bundle of that name, and
    /// from content/.
    pub fn target(&self, url: &str, from: &Path) -> Option<(String, Option<String>)> {
        let (file, fragment) = markdown_file(url, from)?;
        if let Some(found) = self.url_of(&file) {
            return Some((found.to_string(), fragment));
        }
        crate::links::markdown_file_alternatives(url, from)
            .into_iter()
            .find_map(|(file, fragment)| Some((self.url_of(&file)?.to_string(), fragment)))
    }

    /// Each markdown file link of `links` that names a page, as written and
    /// as the permalink to write instead; sorted, each once.
    pub fn resolve(
        &self,
        links: &[SourceLink],
        from: &Path,
        config: &Config,
    ) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = links
            .iter()
            .filter(|link| !link.image)
            .filter_map(|link| {
                let (path, fragment) = self.target(&link.url, from)?;
                let mut url = config.permalink(&path);
                if let Some(fragment) = fragment {
                    url.push('#');
                    url.push_str(&fragment);
                }
                Some((link.url.clone(), url))
            })
            .collect();
        found.sort();
        found.dedup();
        found
    }
}

/// Points every markdown file link of the site's pages and sections at its
/// page. Cheap when there are none: most sites never link by file.
pub fn resolve_site(pages: &mut [Arc<Page>], sections: &mut [Section], config: &Config) {
    let by_file = |links: &[SourceLink]| {
        links
            .iter()
            .any(|l| l.url.contains(".md") || l.url.contains(".markdown"))
    };
    if !pages.iter().any(|p| by_file(&p.links)) && !sections.iter().any(|s| by_file(&s.links)) {
        return;
    }
    let urls = FileUrls::of(pages, sections);
    for page in pages.iter_mut() {
        *page = resolve_page(page, &urls, config);
    }
    for section in sections.iter_mut() {
        let Some(source) = &section.source else {
            continue;
        };
        let found = urls.resolve(&section.links, source, config);
        if !found.is_empty() {
            section.content = rewrite(&section.content, &found);
        }
    }
}

/// `page`, about to replace the page of the same URL in `site` (an edit
/// `blog serve` patches), with its markdown file links resolved.
pub fn resolve_in(site: &crate::site::Site, page: Arc<Page>, config: &Config) -> Arc<Page> {
    if !page
        .links
        .iter()
        .any(|l| l.url.contains(".md") || l.url.contains(".markdown"))
    {
        return page;
    }
    let urls = FileUrls::of(&site.pages, &site.sections);
    resolve_page(&page, &urls, config)
}

/// `page` with its markdown file links pointing at their pages: the same
/// page, shared, when it has none.
pub fn resolve_page(page: &Arc<Page>, urls: &FileUrls, config: &Config) -> Arc<Page> {
    let found = urls.resolve(&page.links, &page.source, config);
    if found.is_empty() {
        return page.clone();
    }
    let mut resolved = Page::clone(page);
    resolved.content = Arc::from(rewrite(&page.content, &found));
    resolved.summary = Arc::from(rewrite(&page.summary, &found));
    resolved.file_links = found;
    Arc::new(resolved)
}

/// Replaces each link's `href` (and an image's `src`) in rendered HTML: as
/// the markdown renderer escapes it, and as written in raw HTML.
pub fn rewrite(html: &str, found: &[(String, String)]) -> String {
    let mut out = html.to_string();
    for (written, url) in found {
        let mut escaped = String::new();
        let _ = pulldown_cmark_escape::escape_href(&mut escaped, written);
        let mut new_url = String::new();
        let _ = pulldown_cmark_escape::escape_href(&mut new_url, url);
        for attribute in ["href", "src"] {
            let new = format!("{attribute}=\"{new_url}\"");
            out = out.replace(&format!("{attribute}=\"{escaped}\""), &new);
            if escaped != *written {
                out = out.replace(&format!("{attribute}=\"{written}\""), &new);
            }
        }
    }
    out
}

/// `html` from the page at `page_path` with its relative links and images
/// made absolute, for where it is shown away from the page: summaries on
/// lists, feed entries. Links to markdown files are left to
/// `resolve_page`, which runs later and knows their pages.
pub fn absolute_links<'h>(
    html: &'h str,
    links: &[SourceLink],
    source: &Path,
    page_path: &str,
    config: &Config,
) -> std::borrow::Cow<'h, str> {
    let found: Vec<(String, String)> = links
        .iter()
        .filter(|link| markdown_file(&link.url, source).is_none())
        .filter_map(|link| {
            let joined = crate::links::join_relative(page_path, link.url.trim())?;
            Some((link.url.clone(), config.permalink(&joined)))
        })
        .collect();
    if found.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    std::borrow::Cow::Owned(rewrite(html, &found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(url: &str) -> SourceLink {
        SourceLink {
            url: url.into(),
            line: 1,
            column: 1,
            image: false,
        }
    }

    #[test]
    fn every_way_of_naming_a_file_finds_its_page() {
        let urls = FileUrls::new(
            [
                (Path::new("content/posts/b.md"), "/posts/bee/"),
                (Path::new("content/notes/c d.md"), "/notes/c-d/"),
                (Path::new("content/posts/_index.md"), "/posts/"),
            ]
            .into_iter(),
        );
        let from = Path::new("content/posts/a.md");
        for (written, expected) in [
            ("b.md", Some("/posts/bee/")),
            ("./b.md#part", Some("/posts/bee/")),
            ("../posts/b.md", Some("/posts/bee/")),
            ("/posts/b.md", Some("/posts/bee/")),
            ("/content/posts/b.md", Some("/posts/bee/")),
            ("@/posts/b.md", Some("/posts/bee/")),
            ("@/posts/_index.md", Some("/posts/")),
            ("../notes/c%20d.md", Some("/notes/c-d/")),
            ("../notes/c d.md", Some("/notes/c-d/")),
            ("missing.md", None),
            ("https://example.org/b.md", None),
            ("b.markdown", None),
        ] {
            assert_eq!(
                urls.target(written, from).map(|(u, _)| u).as_deref(),
                expected,
                "{written}"
            );
        }
        assert_eq!(
            urls.target("b.md#part", from)
                .and_then(|(_, f)| f)
                .as_deref(),
            Some("part")
        );
    }

    #[test]
    fn hrefs_are_rewritten_as_rendered_and_as_written() {
        let config = Config::default();
        let urls = FileUrls::new([(Path::new("content/notes/c d.md"), "/notes/c-d/")].into_iter());
        let links = [link("../notes/c d.md#x"), link("nothing.md")];
        let found = urls.resolve(&links, Path::new("content/posts/a.md"), &config);
        assert_eq!(
            found,
            vec![(
                "../notes/c d.md#x".to_string(),
                "http://localhost:1111/notes/c-d/#x".to_string()
            )]
        );
        let html = "<a href=\"../notes/c%20d.md#x\">a</a> <a href=\"../notes/c d.md#x\">b</a> \
                    <a href=\"nothing.md\">c</a>";
        assert_eq!(
            rewrite(html, &found),
            "<a href=\"http://localhost:1111/notes/c-d/#x\">a</a> \
             <a href=\"http://localhost:1111/notes/c-d/#x\">b</a> <a href=\"nothing.md\">c</a>"
        );
    }
}
