//! The index schema: fields, tokenizers, and the document written for each industry.

use crate::catalog::{Catalog, Industry};
use crate::text::{JIEBA_TOKENIZER, JiebaTokenizer, TokenVecStream};
use std::collections::HashSet;
use tantivy::Index;
use tantivy::TantivyDocument;
use tantivy::schema::{Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{Token, Tokenizer};

/// Tokenizer of the term fields: the value is a list of analysis-form terms separated by
/// U+001F, each indexed as one token.
pub const TERMS_TOKENIZER: &str = "leadmatch_terms";
const SEP: char = '\u{1F}';

/// The class of a catalogue term, which decides its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum TermClass {
    Name,
    Strong,
    Support,
    Generic,
}

impl TermClass {
    pub const ALL: [TermClass; 4] = [
        TermClass::Name,
        TermClass::Strong,
        TermClass::Support,
        TermClass::Generic,
    ];

    pub fn field_name(self) -> &'static str {
        match self {
            TermClass::Name => "name",
            TermClass::Strong => "strong",
            TermClass::Support => "support",
            TermClass::Generic => "generic",
        }
    }
}

/// Handles to the schema's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub ord: Field,
    pub industry_id: Field,
    pub sector_id: Field,
    pub name: Field,
    pub strong: Field,
    pub support: Field,
    pub generic: Field,
    pub text: Field,
}

impl Fields {
    pub fn term_field(&self, class: TermClass) -> Field {
        match class {
            TermClass::Name => self.name,
            TermClass::Strong => self.strong,
            TermClass::Support => self.support,
            TermClass::Generic => self.generic,
        }
    }

    pub fn from_schema(schema: &Schema) -> Result<Fields, String> {
        let f = |n: &str| schema.get_field(n).map_err(|_| format!("missing field {n}"));
        Ok(Fields {
            ord: f("ord")?,
            industry_id: f("industry_id")?,
            sector_id: f("sector_id")?,
            name: f("name")?,
            strong: f("strong")?,
            support: f("support")?,
            generic: f("generic")?,
            text: f("text")?,
        })
    }
}

pub(super) fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let ord = b.add_u64_field("ord", INDEXED | STORED | tantivy::schema::FAST);
    let industry_id = b.add_text_field("industry_id", tantivy::schema::STRING | STORED);
    let sector_id = b.add_text_field("sector_id", tantivy::schema::STRING | STORED);
    let terms = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TERMS_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(false),
    );
    let name = b.add_text_field("name", terms.clone());
    let strong = b.add_text_field("strong", terms.clone());
    let support = b.add_text_field("support", terms.clone());
    let generic = b.add_text_field("generic", terms);
    let text = b.add_text_field(
        "text",
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(JIEBA_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored(),
    );
    let schema = b.build();
    let fields = Fields {
        ord,
        industry_id,
        sector_id,
        name,
        strong,
        support,
        generic,
        text,
    };
    (schema, fields)
}

pub(super) fn register_tokenizers(index: &Index, jieba: JiebaTokenizer) {
    index.tokenizers().register(TERMS_TOKENIZER, TermListTokenizer);
    index.tokenizers().register(JIEBA_TOKENIZER, jieba);
}

/// The searchable text of an industry: what `search` matches and highlights.
pub fn industry_text(catalog: &Catalog, ind: &Industry) -> String {
    let sector = catalog.sector(&ind.sector);
    let mut parts: Vec<&str> = vec![&ind.name, &ind.name_en];
    if !ind.summary.is_empty() {
        parts.push(&ind.summary);
    }
    parts.extend(ind.describes.iter().map(String::as_str));
    if let Some(s) = sector {
        parts.push(&s.name);
        parts.push(&s.name_en);
    }
    let mut text = parts.join(" · ");
    let lists = [&ind.strong, &ind.support];
    for list in lists {
        if !list.is_empty() {
            text.push_str(" · ");
            text.push_str(&list.join("、"));
        }
    }
    let carriers = catalog.carriers(ind);
    if !carriers.is_empty() {
        text.push_str(" · 载体 ");
        text.push_str(&carriers.join("、"));
    }
    text.push_str(" · 牵头 ");
    text.push_str(catalog.lead_unit(ind));
    let resp = catalog.responsible_units(ind);
    if !resp.is_empty() {
        text.push_str(" · 责任 ");
        text.push_str(&resp.join("、"));
    }
    text
}

pub(super) fn industry_document(
    fields: &Fields,
    catalog: &Catalog,
    ord: u64,
    ind: &Industry,
    global_generic: &HashSet<String>,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.ord, ord);
    doc.add_text(fields.industry_id, &ind.id);
    doc.add_text(fields.sector_id, &ind.sector);
    let terms = super::industry_terms(ind, global_generic);
    for class in TermClass::ALL {
        let joined: Vec<&str> = terms.iter().filter(|t| t.0 == class).map(|t| t.1.as_str()).collect();
        doc.add_text(fields.term_field(class), joined.join(&SEP.to_string()));
    }
    doc.add_text(fields.text, industry_text(catalog, ind));
    doc
}

/// Splits a term-list field value on U+001F; each analysis-form term is one token.
#[derive(Clone)]
pub struct TermListTokenizer;

impl Tokenizer for TermListTokenizer {
    type TokenStream<'a> = TokenVecStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TokenVecStream {
        let mut tokens = Vec::new();
        let mut offset = 0;
        for (position, part) in text.split(SEP).enumerate() {
            if !part.is_empty() {
                tokens.push(Token {
                    offset_from: offset,
                    offset_to: offset + part.len(),
                    position,
                    text: part.to_string(),
                    position_length: 1,
                });
            }
            offset += part.len() + SEP.len_utf8();
        }
        TokenVecStream::new(tokens)
    }
}
