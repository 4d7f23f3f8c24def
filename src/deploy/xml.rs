//! S3's XML answers, read with quick-xml: a ListObjectsV2 page (keys,
//! ETags, sizes, the continuation token) and an error's `Code`, `Message`
//! and `Region`.

use quick_xml::events::Event;

use super::plan::RemoteObject;

/// One page of a ListObjectsV2 answer.
#[derive(Debug, Default, PartialEq)]
pub struct ListPage {
    pub objects: Vec<(String, RemoteObject)>,
    pub truncated: bool,
    pub next: Option<String>,
}

/// Reads the text of elements, entity references resolved; `on_end` gets
/// each element's name, its parent's and its text.
fn read_xml(body: &[u8], mut on_end: impl FnMut(&str, &str, String)) -> Result<(), String> {
    let text = std::str::from_utf8(body).map_err(|_| "not UTF-8".to_string())?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut value = String::new();
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => {
                stack.push(e.local_name().into_inner().to_string());
                value.clear();
            }
            Event::Text(e) => value.push_str(&e.xml10_content()),
            Event::CData(e) => value.push_str(&e.xml10_content()),
            Event::GeneralRef(e) => {
                if let Ok(Some(c)) = e.resolve_char_ref() {
                    value.push(c);
                } else {
                    value.push(match e.xml10_content().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("unknown entity &{other};")),
                    });
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                on_end(&name, parent, std::mem::take(&mut value));
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

pub fn parse_listing(body: &[u8]) -> Result<ListPage, String> {
    let mut page = ListPage::default();
    let mut key = String::new();
    let mut object = RemoteObject::default();
    let mut saw_root = false;
    read_xml(body, |name, parent, text| match (parent, name) {
        ("Contents", "Key") => key = text,
        ("Contents", "ETag") => object.etag = text.trim().trim_matches('"').to_string(),
        ("Contents", "Size") => object.size = text.trim().parse().unwrap_or(u64::MAX),
        ("ListBucketResult", "Contents") => {
            page.objects
                .push((std::mem::take(&mut key), std::mem::take(&mut object)));
        }
        ("ListBucketResult", "IsTruncated") => page.truncated = text.trim() == "true",
        ("ListBucketResult", "NextContinuationToken") => page.next = Some(text),
        ("", "ListBucketResult") => saw_root = true,
        _ => {}
    })?;
    if !saw_root {
        return Err("no ListBucketResult".into());
    }
    Ok(page)
}

/// The text of the first element of each name, for an error's Code and Message.
pub fn xml_fields(body: &[u8], names: &[&str]) -> Vec<Option<String>> {
    let mut found = vec![None; names.len()];
    let _ = read_xml(body, |name, _, text| {
        if let Some(i) = names.iter().position(|n| *n == name) {
            found[i].get_or_insert(text);
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_page_gives_keys_etags_sizes_and_the_next_token() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>site</Name><Prefix>blog/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <Contents><Key>blog/index.html</Key><ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag><Size>1</Size></Contents>
  <Contents><Key>blog/a &amp; b.zip</Key><ETag>"abc-2"</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>"#;
        let page = parse_listing(xml).expect("parses");
        assert_eq!(page.objects.len(), 2);
        assert_eq!(page.objects[0].0, "blog/index.html");
        assert_eq!(page.objects[0].1.etag, "0cc175b9c0f1b6a831c399e269772661");
        assert_eq!(page.objects[1].0, "blog/a & b.zip");
        assert_eq!(
            (page.objects[1].1.etag.as_str(), page.objects[1].1.size),
            ("abc-2", 12)
        );
        assert!(page.truncated);
        assert_eq!(
            page.next.as_deref(),
            Some("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
        );
        assert!(parse_listing(b"<html><body>hi</body></html>").is_err());
    }

    #[test]
    fn an_error_body_gives_its_code_and_message() {
        let xml = b"<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>x</BucketName></Error>";
        let fields = xml_fields(xml, &["Code", "Message", "Region"]);
        assert_eq!(fields[0].as_deref(), Some("NoSuchBucket"));
        assert_eq!(
            fields[1].as_deref(),
            Some("The specified bucket does not exist")
        );
        assert_eq!(fields[2], None);
    }
}
