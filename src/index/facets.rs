//! Counts per value of a search's claims (the facets of the web desk's search page): how
//! many of the claims a query finds have each status, certainty, kind, outlet and speaker.
//! An outlet counts the claims whose publisher or chain names it, as the `outlet` filter
//! selects them, so clicking a count gives that many claims. One pass of tantivy's terms
//! aggregation over the fast columns of those fields, with the same query as
//! [`SearchIndex::search`], so the counts of a single-valued field add up to its total.

use super::query::{Compiled, Filters, compile};
use super::{IndexError, SearchIndex, tantivy_error};
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, BucketResult};
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard, Key};

/// The fields counted, by index field name.
pub const FACETS: [&str; 5] = ["status", "certainty", "kind", "outlet", "speaker"];

/// One value of a facet and how many claims found have it. Values are as the index holds
/// them: lower case for names (the caller maps them back to the store's spelling).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub claims: u64,
}

/// The counts of each of [`FACETS`], the most first (ties by value), at most `size` values
/// each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub status: Vec<FacetCount>,
    pub certainty: Vec<FacetCount>,
    pub kind: Vec<FacetCount>,
    pub outlet: Vec<FacetCount>,
    pub speaker: Vec<FacetCount>,
}

impl SearchIndex {
    /// The facets of the claims `text` and `filters` find (see [`SearchIndex::search`]).
    pub fn facets(
        &self,
        text: Option<&str>,
        filters: &Filters,
        size: usize,
    ) -> Result<Facets, IndexError> {
        let (index, reader, fields, dir) = self.parts();
        let err = |e| tantivy_error(dir, e);
        let Compiled { query, .. } = compile(index, fields, text, filters)?;
        let request: serde_json::Map<String, serde_json::Value> = FACETS
            .iter()
            .map(|f| {
                (
                    f.to_string(),
                    serde_json::json!({"terms": {"field": f, "size": size.max(1)}}),
                )
            })
            .collect();
        let aggs: Aggregations = serde_json::from_value(serde_json::Value::Object(request))
            .map_err(|e| err(tantivy::TantivyError::InvalidArgument(e.to_string())))?;
        let collector = AggregationCollector::from_aggs(
            aggs,
            AggContextParams::new(
                AggregationLimitsGuard::default(),
                index.tokenizers().clone(),
            ),
        );
        let results = reader.searcher().search(&query, &collector).map_err(err)?;
        let mut out = Facets::default();
        let each = [
            ("status", &mut out.status),
            ("certainty", &mut out.certainty),
            ("kind", &mut out.kind),
            ("outlet", &mut out.outlet),
            ("speaker", &mut out.speaker),
        ];
        for (name, counts) in each {
            if let Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) =
                results.0.get(name)
            {
                *counts = buckets
                    .iter()
                    .filter_map(|b| match &b.key {
                        Key::Str(s) if !s.is_empty() => Some(FacetCount {
                            value: s.clone(),
                            claims: b.doc_count,
                        }),
                        _ => None,
                    })
                    .collect();
                counts.sort_by(|a, b| b.claims.cmp(&a.claims).then_with(|| a.value.cmp(&b.value)));
            }
        }
        Ok(out)
    }
}
