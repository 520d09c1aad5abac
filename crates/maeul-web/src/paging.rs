//! Page-number pagination shared by every list, page and API alike.

use crate::error::Problem;

pub const DEFAULT_PER_PAGE: i64 = 20;
pub const MAX_PER_PAGE: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    /// The first page at the default size: where a page comes back after a refused form.
    pub fn first() -> Self {
        Paging {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }

    /// Reads `page` and `per_page` as given in a query string.
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<Self, Problem> {
        let page = match page.map(str::trim).filter(|s| !s.is_empty()) {
            None => 1,
            Some(s) => s
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=1_000_000).contains(p))
                .ok_or_else(|| Problem::field("page", "field.page"))?,
        };
        let per_page = match per_page.map(str::trim).filter(|s| !s.is_empty()) {
            None => DEFAULT_PER_PAGE,
            Some(s) => s
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=MAX_PER_PAGE).contains(p))
                .ok_or_else(|| Problem::field("per_page", "field.per_page"))?,
        };
        Ok(Paging { page, per_page })
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn pages(&self, total: i64) -> i64 {
        ((total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// Links of a pager: page numbers around the current one, for the KRDS pagination.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    /// The query string without `page`, to which `page=N` is appended.
    pub base: String,
}

impl Pager {
    pub fn new(paging: Paging, total: i64, base: String) -> Self {
        Pager {
            page: paging.page,
            pages: paging.pages(total),
            base,
        }
    }

    pub fn window(&self) -> Vec<i64> {
        let start = (self.page - 4).max(1);
        let end = (start + 9).min(self.pages);
        (start..=end).collect()
    }

    pub fn href(&self, page: &i64) -> String {
        if self.base.is_empty() {
            format!("?page={page}")
        } else {
            format!("?{}&page={page}", self.base)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_defaults_and_limits() {
        assert_eq!(
            Paging::parse(None, None).unwrap(),
            Paging {
                page: 1,
                per_page: 20
            }
        );
        assert_eq!(Paging::parse(Some("3"), Some("50")).unwrap().offset(), 100);
        assert_eq!(
            Paging::parse(Some("0"), None).unwrap_err().fields[0].field,
            "page"
        );
        assert_eq!(
            Paging::parse(None, Some("101")).unwrap_err().fields[0].field,
            "per_page"
        );
        assert!(Paging::parse(Some("9999999999999999999999"), None).is_err());
        assert_eq!(Paging::parse(None, Some("10")).unwrap().pages(0), 1);
        assert_eq!(Paging::parse(None, Some("10")).unwrap().pages(21), 3);
    }
}
