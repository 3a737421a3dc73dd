//! `catalog/lexicon.csv`: the word weights of the lexical layer (issue 13, paraphrase recall).
//!
//! Shape: a header `token,idf,weight`, then one row per token: a CJK character, a pair of adjacent
//! CJK characters, or a Latin word as the analyser writes it (lower case, stemmed); `idf` is the
//! smoothed inverse document frequency `ln((1 + n) / (1 + df)) + 1` over the training profiles
//! and `weight` the logistic-regression coefficient. The row whose token is [`BIAS_TOKEN`] holds
//! the intercept in `weight`. The file is written by `leadmatch eval … --subset tune
//! --train-lexical catalog/lexicon.csv` (see `crate::matcher::lexical`); it is optional: without
//! it (or without `[lexical]` in scoring.toml) the layer is off.

use crate::error::{Error, Result};

/// The token of the intercept row; no analysed text produces it.
pub const BIAS_TOKEN: &str = "<bias>";

/// The parsed file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LexiconTable {
    /// The intercept of the logistic model.
    pub bias: f32,
    /// (token, idf, weight), in file order.
    pub tokens: Vec<(String, f32, f32)>,
}

impl LexiconTable {
    /// Parses the CSV text; `path` names the file in errors (with the 1-based line).
    pub fn parse(path: &str, text: &str) -> Result<LexiconTable> {
        let syntax = |line: usize, message: String| Error::CatalogSyntax {
            file: path.to_string(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| syntax(1, e.to_string()))?.clone();
        if headers.iter().collect::<Vec<_>>() != ["token", "idf", "weight"] {
            return Err(syntax(1, "header must be token,idf,weight".to_string()));
        }
        let mut table = LexiconTable::default();
        let mut seen_bias = false;
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| syntax(line, e.to_string()))?;
            let number = |col: usize, what: &str| -> Result<f32> {
                let cell = record.get(col).unwrap_or("").trim();
                cell.parse::<f32>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| syntax(line, format!("{what} {cell:?} is not a finite number")))
            };
            let token = record.get(0).unwrap_or("").to_string();
            if token == BIAS_TOKEN {
                table.bias = number(2, "weight")?;
                seen_bias = true;
                continue;
            }
            if token.is_empty() {
                return Err(syntax(line, "empty token".to_string()));
            }
            let idf = number(1, "idf")?;
            let weight = number(2, "weight")?;
            table.tokens.push((token, idf, weight));
        }
        if !seen_bias {
            return Err(syntax(1, format!("no {BIAS_TOKEN} row (the intercept)")));
        }
        Ok(table)
    }

    /// The CSV text of the table (the inverse of [`LexiconTable::parse`]).
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["token", "idf", "weight"]);
        let _ = w.write_record([BIAS_TOKEN, "", &format!("{:.5}", self.bias)]);
        for (t, idf, weight) in &self.tokens {
            let _ = w.write_record([t.as_str(), &format!("{idf:.4}"), &format!("{weight:.5}")]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_round_trips_through_its_csv() {
        let t = LexiconTable {
            bias: -0.5,
            tokens: vec![("平台".into(), 2.5, 0.75), ("subscript".into(), 4.0, 1.25)],
        };
        assert_eq!(LexiconTable::parse("lexicon.csv", &t.to_csv()).unwrap(), t);
    }

    #[test]
    fn bad_rows_are_errors_with_their_line() {
        let e = LexiconTable::parse("lexicon.csv", "token,idf,weight\n<bias>,,0.1\n平台,x,1\n").unwrap_err();
        assert!(
            e.to_string().contains("lexicon.csv") && e.to_string().contains('3'),
            "{e}"
        );
        let e = LexiconTable::parse("lexicon.csv", "token,idf,weight\n平台,1,1\n").unwrap_err();
        assert!(e.to_string().contains("<bias>"), "{e}");
        let e = LexiconTable::parse("lexicon.csv", "word,w\n").unwrap_err();
        assert!(e.to_string().contains("header"), "{e}");
    }
}
