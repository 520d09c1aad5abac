//! 안내서 — the programme's guides: how to run a resident general assembly, a member lottery, a
//! discovery round, a case conference and the rest, written in Markdown by the ministry,
//! published to everyone, searchable, and linked from the pages they explain. maeul ships a
//! first set; the ministry edits them and adds more.
//!
//! A guide's Markdown is checked when it is written (no raw HTML, no images, links only to
//! this site's pages, anchors, web pages and mail) and rendered again defensively, so a guide
//! can never carry script or load anything from another host.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

/// Longest title, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest summary, in characters: what the list and the pages linking to a guide show.
pub const MAX_SUMMARY: usize = 300;
/// Longest body, in characters (a manual chapter; the longest shipped guide is a tenth of it).
pub const MAX_BODY: usize = 100_000;

/// The name of a guide in its address (`/guides/assembly`): 2–60 lower-case letters, digits
/// and inner hyphens, starting with a letter. It never changes once the guide exists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Slug, GuideError> {
        let ok = (2..=60).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && !s.ends_with('-')
            && !s.contains("--")
            && s
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            // `/guides/new` is the form for a new guide.
            && s != "new";
        if ok {
            Ok(Slug(s.to_owned()))
        } else {
            Err(GuideError::Slug)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What part of the programme a guide explains: the pages of that part link to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// 주민총회.
    Assembly,
    /// 주민자치회 위원 추첨.
    Lottery,
    /// 주민자치회.
    Council,
    /// 의제.
    Agenda,
    /// 자치계획.
    Plan,
    /// 복지사각지대 발굴.
    Discovery,
    /// 통합사례관리 (and its case conference).
    Case,
    /// 방문건강관리.
    Health,
    /// 지역사회자원 연계.
    Resources,
    /// 지역사업 연계 and grant calls.
    Programmes,
    /// 읍면동 조직·인력·추진협의회.
    Organisation,
    /// The programme as a whole.
    General,
}

impl Subject {
    pub const ALL: [Subject; 12] = [
        Subject::General,
        Subject::Assembly,
        Subject::Lottery,
        Subject::Council,
        Subject::Agenda,
        Subject::Plan,
        Subject::Discovery,
        Subject::Case,
        Subject::Health,
        Subject::Resources,
        Subject::Programmes,
        Subject::Organisation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Assembly => "assembly",
            Subject::Lottery => "lottery",
            Subject::Council => "council",
            Subject::Agenda => "agenda",
            Subject::Plan => "plan",
            Subject::Discovery => "discovery",
            Subject::Case => "case",
            Subject::Health => "health",
            Subject::Resources => "resources",
            Subject::Programmes => "programmes",
            Subject::Organisation => "organisation",
            Subject::General => "general",
        }
    }

    pub fn parse(s: &str) -> Option<Subject> {
        Subject::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A guide as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    pub title: String,
    pub subject: Subject,
    pub summary: String,
    /// Markdown (CommonMark with tables and strikethrough).
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuideError {
    #[error("a guide's name is 2–60 lower-case letters, digits and inner hyphens, not `new`")]
    Slug,
    #[error("a title is 1–{MAX_TITLE} characters")]
    Title,
    #[error("a summary is at most {MAX_SUMMARY} characters")]
    Summary,
    #[error("a body is 1–{MAX_BODY} characters")]
    Body,
    /// NUL and the other control characters (tabs and line ends in the body aside) are not
    /// text: PostgreSQL refuses NUL, and a line end in a title or summary would break the file.
    #[error("a {field} holds a control character")]
    Control { field: &'static str },
    #[error("line {line}: HTML is not allowed in a guide; write Markdown")]
    Html { line: usize },
    #[error("line {line}: images are not allowed in a guide")]
    Image { line: usize },
    #[error("line {line}: a link goes to this site (/…), an anchor (#…), http(s) or mailto")]
    Link { line: usize },
}

impl GuideError {
    /// The field of the form or the API body that is wrong.
    pub fn field(&self) -> &'static str {
        match self {
            GuideError::Slug => "slug",
            GuideError::Title => "title",
            GuideError::Summary => "summary",
            GuideError::Control { field } => field,
            GuideError::Body
            | GuideError::Html { .. }
            | GuideError::Image { .. }
            | GuideError::Link { .. } => "body",
        }
    }

    /// The body line a markup error is on.
    pub fn line(&self) -> Option<usize> {
        match self {
            GuideError::Html { line } | GuideError::Image { line } | GuideError::Link { line } => {
                Some(*line)
            }
            _ => None,
        }
    }
}

impl Guide {
    /// A guide whose title, summary and body are within bounds and whose body is safe Markdown.
    /// A leading byte-order mark goes; line ends become `\n`; the title and summary are trimmed
    /// and hold one line each.
    pub fn new(
        title: &str,
        subject: Subject,
        summary: &str,
        body: &str,
    ) -> Result<Guide, GuideError> {
        let title = title.trim_start_matches('\u{feff}').trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(GuideError::Title);
        }
        let summary = summary.trim_start_matches('\u{feff}').trim();
        if summary.chars().count() > MAX_SUMMARY {
            return Err(GuideError::Summary);
        }
        for (field, text) in [("title", title), ("summary", summary)] {
            if text.chars().any(char::is_control) {
                return Err(GuideError::Control { field });
            }
        }
        let body = body
            .trim_start_matches('\u{feff}')
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        let body = body.trim_end();
        if body.trim().is_empty() || body.chars().count() > MAX_BODY {
            return Err(GuideError::Body);
        }
        if body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(GuideError::Control { field: "body" });
        }
        check_markup(body)?;
        Ok(Guide {
            title: title.to_owned(),
            subject,
            summary: summary.to_owned(),
            body: body.to_owned(),
        })
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Whether a link may stay in a guide: this site's pages (but not `//host` or `/\host`, which
/// browsers take for another host), anchors, web pages and mail.
fn safe_link(kind: LinkType, url: &str) -> bool {
    // `<desk@mois.go.kr>`: the parser gives the address, and writes `mailto:` before it.
    if kind == LinkType::Email {
        return true;
    }
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with('/') && !lower.starts_with("//") && !lower.starts_with("/\\"))
        || lower.starts_with('#')
        || lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
}

fn check_markup(body: &str) -> Result<(), GuideError> {
    let line = |at: usize| body[..at].matches('\n').count() + 1;
    for (event, at) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Html(_) | Event::InlineHtml(_) => {
                return Err(GuideError::Html {
                    line: line(at.start),
                });
            }
            Event::Start(Tag::Image { .. }) => {
                return Err(GuideError::Image {
                    line: line(at.start),
                });
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if !safe_link(link_type, &dest_url) => {
                return Err(GuideError::Link {
                    line: line(at.start),
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// A heading of a guide, for its contents list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The anchor (`s1`, `s2`, …).
    pub id: String,
    pub text: String,
    /// 1 for a chapter (the shallowest level the body uses, `#` as a rule), 2 for a section.
    pub depth: u8,
}

/// A guide's body as HTML, and the contents list of its chapters and sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub contents: Vec<Heading>,
}

/// The body as HTML. Headings move so that the shallowest one used becomes `h2` (the page's
/// title is the only `h1`, and no level is skipped after it) and get anchors; raw HTML is
/// shown as text, images as their description and unsafe links as their text, whatever was
/// stored.
pub fn render(body: &str) -> Rendered {
    let parser = || Parser::new_ext(body, options());
    let top = parser()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut events: Vec<Event> = Vec::new();
    let mut contents = Vec::new();
    let mut in_heading = false;
    let mut dropped_link = false;
    for event in parser() {
        match event {
            Event::Html(s) | Event::InlineHtml(s) => events.push(Event::Text(s)),
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::Link {
                link_type,
                ref dest_url,
                ..
            }) if !safe_link(link_type, dest_url) => {
                dropped_link = true;
            }
            Event::End(TagEnd::Link) if dropped_link => dropped_link = false,
            Event::Start(Tag::Heading { level, .. }) => {
                let n = contents.len() + 1;
                let depth = level as u8 - top + 1;
                in_heading = true;
                contents.push(Heading {
                    id: format!("s{n}"),
                    text: String::new(),
                    depth,
                });
                events.push(Event::Start(Tag::Heading {
                    level: shifted(depth),
                    id: Some(CowStr::from(format!("s{n}"))),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                in_heading = false;
                events.push(Event::End(TagEnd::Heading(shifted(level as u8 - top + 1))));
            }
            Event::Text(ref s) | Event::Code(ref s) if in_heading => {
                if let Some(h) = contents.last_mut() {
                    h.text.push_str(s);
                }
                events.push(event);
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    contents.retain(|h| h.depth <= 2);
    Rendered { html, contents }
}

/// The HTML level of a heading at `depth` (1 for the shallowest of the body).
fn shifted(depth: u8) -> HeadingLevel {
    match depth {
        1 => HeadingLevel::H2,
        2 => HeadingLevel::H3,
        3 => HeadingLevel::H4,
        4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The words of a body without its markup, a line per block: what search indexes and cuts
/// its snippets from.
pub fn plain(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Text(s) | Event::Code(s) => out.push_str(&s),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock,
            ) if !out.ends_with('\n') => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

/// A guide as a file: a header of `title:`, `subject:` and `summary:` lines, a `---` line,
/// then the Markdown body. What `maeul guide export` writes and `import` reads.
pub fn to_file(g: &Guide) -> String {
    format!(
        "title: {}\nsubject: {}\nsummary: {}\n---\n{}\n",
        g.title,
        g.subject.as_str(),
        g.summary,
        g.body
    )
}

/// A file that is not a guide, with the line that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct FileError {
    pub line: usize,
    pub message: String,
}

/// Reads a guide file written as [`to_file`] writes it.
pub fn from_file(text: &str) -> Result<Guide, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fail = |line: usize, message: &str| FileError {
        line,
        message: message.to_owned(),
    };
    // Each value with its line, so that a refusal names it.
    let (mut title, mut subject, mut summary) = (None, None, (1, String::new()));
    let mut lines = text.split_inclusive('\n').enumerate();
    let mut body_at = None;
    for (i, raw) in lines.by_ref() {
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim() == "---" {
            body_at = Some(i + 1);
            break;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| fail(i + 1, "a header line is `key: value`"))?;
        let value = value.trim();
        match key.trim() {
            "title" => title = Some((i + 1, value.to_owned())),
            "subject" => {
                subject =
                    Some(Subject::parse(value).ok_or_else(|| fail(i + 1, "an unknown subject"))?)
            }
            "summary" => summary = (i + 1, value.to_owned()),
            _ => return Err(fail(i + 1, "the header knows title, subject and summary")),
        }
    }
    let body_at = body_at.ok_or_else(|| fail(1, "the header ends with a `---` line"))?;
    let body: String = lines.map(|(_, l)| l).collect();
    let (title_at, title) = title.ok_or_else(|| fail(1, "the header has no title"))?;
    let subject = subject.ok_or_else(|| fail(1, "the header has no subject"))?;
    Guide::new(&title, subject, &summary.1, &body).map_err(|e| {
        let line = match (e.field(), e.line()) {
            (_, Some(l)) => body_at + l,
            ("title", None) => title_at,
            ("summary", None) => summary.0,
            _ => body_at + 1,
        };
        fail(line, &e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide(body: &str) -> Result<Guide, GuideError> {
        Guide::new("주민총회 운영", Subject::Assembly, "요약", body)
    }

    #[test]
    fn slugs_are_plain_names() {
        for ok in ["assembly", "case-conference", "a1", "discovery-round-2"] {
            assert_eq!(Slug::parse(ok).unwrap().as_str(), ok);
        }
        for bad in [
            "", "a", "Assembly", "-a", "a-", "a--b", "1a", "new", "회의", "a b", "a/b",
        ] {
            assert_eq!(Slug::parse(bad), Err(GuideError::Slug), "{bad:?}");
        }
        assert!(Slug::parse(&"a".repeat(61)).is_err());
        assert!(Slug::parse(&"a".repeat(60)).is_ok());
    }

    #[test]
    fn subjects_round_trip() {
        for s in Subject::ALL {
            assert_eq!(Subject::parse(s.as_str()), Some(s));
        }
        assert_eq!(Subject::parse("Assembly"), None);
    }

    #[test]
    fn bounds_are_checked() {
        assert_eq!(
            Guide::new(" ", Subject::General, "", "본문").unwrap_err(),
            GuideError::Title
        );
        assert_eq!(
            Guide::new(&"가".repeat(MAX_TITLE + 1), Subject::General, "", "본문").unwrap_err(),
            GuideError::Title
        );
        assert_eq!(
            Guide::new(
                "제목",
                Subject::General,
                &"가".repeat(MAX_SUMMARY + 1),
                "본문"
            )
            .unwrap_err(),
            GuideError::Summary
        );
        assert_eq!(guide(" \n ").unwrap_err(), GuideError::Body);
        assert_eq!(
            guide(&"가".repeat(MAX_BODY + 1)).unwrap_err(),
            GuideError::Body
        );
        let g = Guide::new(" 제목 ", Subject::General, " 요약 ", "첫 줄\r\n둘째 줄\n\n").unwrap();
        assert_eq!((g.title.as_str(), g.summary.as_str()), ("제목", "요약"));
        assert_eq!(g.body, "첫 줄\n둘째 줄");
    }

    #[test]
    fn html_images_and_unsafe_links_are_refused_with_their_line() {
        assert_eq!(
            guide("첫 줄\n\n<script>alert(1)</script>").unwrap_err(),
            GuideError::Html { line: 3 }
        );
        assert_eq!(
            guide("글 <b>굵게</b>").unwrap_err(),
            GuideError::Html { line: 1 }
        );
        assert_eq!(
            guide("# 제목\n\n![그림](https://example.com/a.png)").unwrap_err(),
            GuideError::Image { line: 3 }
        );
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "//evil.example",
            "/\\evil.example",
            "data:text/html,x",
            "vbscript:x",
            "relative/page",
        ] {
            assert_eq!(
                guide(&format!("앞\n[누르기]({bad})")).unwrap_err(),
                GuideError::Link { line: 2 },
                "{bad}"
            );
        }
        for good in [
            "/assemblies",
            "#s2",
            "https://www.mois.go.kr",
            "http://example.com",
            "mailto:a@b.kr",
        ] {
            assert!(guide(&format!("[링크]({good})")).is_ok(), "{good}");
        }
        // Code may show HTML: it is text.
        assert!(guide("`<b>` 와\n\n    <script>").is_ok());
    }

    #[test]
    fn rendering_moves_headings_down_and_lists_chapters_and_sections() {
        let r = render("# 준비\n\n본문 **강조**\n\n## 공고 `7일`\n\n### 세부\n\n- 하나\n- 둘");
        assert!(r.html.contains(r#"<h2 id="s1">준비</h2>"#), "{}", r.html);
        assert!(
            r.html.contains(r#"<h3 id="s2">공고 <code>7일</code></h3>"#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<h4 id="s3">세부</h4>"#), "{}", r.html);
        assert!(r.html.contains("<strong>강조</strong>"));
        assert!(r.html.contains("<li>하나</li>"));
        assert_eq!(
            r.contents,
            vec![
                Heading {
                    id: "s1".into(),
                    text: "준비".into(),
                    depth: 1
                },
                Heading {
                    id: "s2".into(),
                    text: "공고 7일".into(),
                    depth: 2
                },
            ]
        );
        let t = render("| 단계 | 기한 |\n|---|---|\n| 접수 | 10일 |");
        assert!(t.html.contains("<table>") && t.html.contains("<td>10일</td>"));
    }

    #[test]
    fn rendering_neutralises_whatever_was_stored() {
        // A body stored before the rules, or written behind the application's back.
        let r = render(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![y](https://e.x/a.png) <img src=x onerror=alert(1)>",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("<img"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
        assert!(r.html.contains('x') && r.html.contains('y'));
        let q = render("[a](https://x.kr/?q=\"><b>)");
        assert!(!q.html.contains("\"><b>"), "{}", q.html);
    }

    #[test]
    fn control_characters_are_refused_and_line_ends_made_plain() {
        for (title, summary, body, field) in [
            ("제\u{0}목", "", "본문", "title"),
            ("제목", "첫 줄\r\n둘째 줄", "본문", "summary"),
            (
                "제목",
                "title: 바뀐 제목\nsubject: health",
                "본문",
                "summary",
            ),
            ("제목", "", "본문\u{0}", "body"),
            ("제목", "", "본문\u{7}", "body"),
        ] {
            assert_eq!(
                Guide::new(title, Subject::General, summary, body).unwrap_err(),
                GuideError::Control { field },
                "{title:?} {summary:?} {body:?}"
            );
        }
        let g = Guide::new(
            "\u{feff}제목",
            Subject::General,
            "",
            "\u{feff}# 장\r본문\t끝\r\r<b>",
        )
        .unwrap_err();
        assert_eq!(g, GuideError::Html { line: 4 }, "a lone CR ends a line");
        let g = Guide::new("\u{feff}제목", Subject::General, "", "\u{feff}# 장\r본문").unwrap();
        assert_eq!((g.title.as_str(), g.body.as_str()), ("제목", "# 장\n본문"));
        assert!(
            render(&g.body).html.starts_with("<h2"),
            "the mark does not hide the heading"
        );
    }

    #[test]
    fn mail_addresses_in_angle_brackets_are_links() {
        let g = guide("문의: <desk@mois.go.kr>").unwrap();
        assert!(
            render(&g.body)
                .html
                .contains(r#"href="mailto:desk@mois.go.kr""#)
        );
        assert_eq!(
            guide("<javascript:alert(1)>").unwrap_err(),
            GuideError::Link { line: 1 }
        );
    }

    #[test]
    fn the_shallowest_heading_becomes_h2() {
        let r = render("### 절\n\n본문\n\n#### 세부");
        assert!(r.html.contains(r#"<h2 id="s1">절</h2>"#), "{}", r.html);
        assert!(r.html.contains(r#"<h3 id="s2">세부</h3>"#), "{}", r.html);
        assert_eq!(
            r.contents.iter().map(|h| h.depth).collect::<Vec<_>>(),
            [1, 2]
        );
    }

    #[test]
    fn plain_text_keeps_the_words() {
        assert_eq!(
            plain("# 준비\n\n본문 **강조**와 `코드`\n이어짐\n\n- 하나\n- 둘"),
            "준비\n본문 강조와 코드 이어짐\n하나\n둘"
        );
    }

    #[test]
    fn files_round_trip_and_name_the_wrong_line() {
        let g = Guide::new(
            "사례회의 운영",
            Subject::Case,
            "사례회의를 여는 방법",
            "# 준비\n\n본문",
        )
        .unwrap();
        assert_eq!(from_file(&to_file(&g)).unwrap(), g);
        assert_eq!(from_file(&format!("\u{feff}{}", to_file(&g))).unwrap(), g);
        let err = |t: &str| from_file(t).unwrap_err().line;
        assert_eq!(err("title: 가\nsubject: nope\n---\n본문"), 2);
        assert_eq!(err("title: 가\nsubject: case\nauthor: 나\n---\n본문"), 3);
        assert_eq!(err("title: 가\nsubject: case\n본문"), 3);
        assert_eq!(err("title: 가\nsubject: case\n"), 1);
        assert_eq!(err("subject: case\n---\n본문"), 1);
        assert_eq!(err("title: 가\nsubject: case\n---\n첫 줄\n\n<i>x</i>"), 6);
        assert_eq!(err("title: 가\nsubject: case\n---\n"), 4);
        assert_eq!(err("subject: case\ntitle:  \n---\n본문"), 2);
        assert_eq!(
            err("title: 가\nsubject: case\nsummary: a\u{0}b\n---\n본문"),
            3
        );
    }
}
