//! Tables for people: markdown for summary.md, HTML for notebook cells.

/// A table of strings with a header row.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Table {
    /// Column headers.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers and no rows.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// GitHub-flavoured markdown.
    pub fn to_markdown(&self) -> String {
        let mut s = format!("| {} |\n", self.header.join(" | "));
        s.push_str(&format!("|{}\n", "---|".repeat(self.header.len())));
        for r in &self.rows {
            s.push_str(&format!("| {} |\n", r.join(" | ")));
        }
        s
    }

    /// An HTML `<table>` (cells escaped).
    pub fn to_html(&self) -> String {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        let mut s = String::from("<table>\n<thead><tr>");
        for h in &self.header {
            s.push_str(&format!("<th>{}</th>", esc(h)));
        }
        s.push_str("</tr></thead>\n<tbody>\n");
        for r in &self.rows {
            s.push_str("<tr>");
            for c in r {
                s.push_str(&format!("<td>{}</td>", esc(c)));
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody>\n</table>\n");
        s
    }

    /// Shows the table as the rich output of an evcxr Jupyter cell.
    pub fn evcxr_display(&self) {
        println!(
            "EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT",
            self.to_html()
        );
    }
}

impl std::fmt::Display for Table {
    /// A plain-text table with aligned columns.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cols = self.header.len();
        let mut width = vec![0usize; cols];
        for r in std::iter::once(&self.header).chain(&self.rows) {
            for (w, c) in width.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        for (k, r) in std::iter::once(&self.header).chain(&self.rows).enumerate() {
            let line: Vec<String> = r
                .iter()
                .zip(&width)
                .map(|(c, w)| format!("{c:>w$}", w = *w))
                .collect();
            writeln!(f, "{}", line.join("  "))?;
            if k == 0 {
                writeln!(
                    f,
                    "{}",
                    width
                        .iter()
                        .map(|w| "-".repeat(*w))
                        .collect::<Vec<_>>()
                        .join("  ")
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders() {
        let mut t = Table::new(["a", "b"]);
        t.row(["1", "<2>"]);
        assert_eq!(t.to_markdown(), "| a | b |\n|---|---|\n| 1 | <2> |\n");
        assert!(t.to_html().contains("<td>&lt;2&gt;</td>"));
        assert_eq!(t.to_string(), "a    b\n-  ---\n1  <2>\n");
    }
}
