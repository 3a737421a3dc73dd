//! Clause roles: what a catalogue term found in a clause says about the firm.
//!
//! A plan word does not always name the firm's own business. In `为电竞战队定制队服` the e-sports
//! teams are customers; in `通过亚马逊等跨境电商平台销往欧美` cross-border e-commerce is a sales channel
//! of a manufacturer; in `车间接入工业互联网平台` a tool the factory uses; in `参加跨境电商博览会` a fair;
//! in `代办融资租赁业务手续` a car dealer's sideline; in `电竞小镇配套道路工程代建` a building site; in
//! `电竞椅` or `康复护理床` a feature of a product. Each such role weighs a fraction of the firm's own
//! business (`[roles]` of scoring.toml), and counter-evidence found in a customer, tool, fair,
//! sideline or project role does not count against the firm (`为货运车队客户提供运输管理软件` is a
//! software firm, not a trucking fleet).
//!
//! Roles come from cues in the same clause (`[roles]` of terms.toml), found in the same automaton
//! pass as the terms: a cue before the term reaches it unless a verb of the firm's own business
//! (提供, 运营, 开发 …) stands between them; 为/向/for … opens a customer span that a closing word
//! after the term (提供, 定制, "companies" …) confirms; a product head or a building word right
//! after the term marks a product feature or a project.

use crate::text::is_cjk;

/// The kinds of cue the term automaton reports besides terms (a bit each in a `u32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Cue {
    /// Negates what follows in the clause.
    Negation,
    /// Negates what precedes in the clause (除外).
    NegationAfter,
    Trade,
    TradeOverride,
    CustomerOpen,
    CustomerClose,
    Customer,
    Channel,
    ChannelClose,
    Uses,
    Fair,
    Sideline,
    Project,
    ProjectAfter,
    ProductHead,
    Training,
    Own,
    /// Making (生产, 制造): turns a term of a `makers_excluded` industry into a product.
    Make,
    /// Matching by a platform (撮合, "connects"): with a `shared` word nearby, a platform.
    Platform,
    /// A word of what an industry's platform shares (`shared` in the catalogue).
    Shared,
    /// Owning vehicles (自有冷藏车): the firm is a carrier.
    Fleet,
    /// Naming the firm's users (撮合, "lets"): counter-evidence after it names them.
    Users,
    /// The attributive 用 of "X用Y" (人工智能服务器用散热风扇: fans for AI servers): the term
    /// before it is where a product goes.
    ProductFor,
    /// A software or platform head noun (软件, 平台, "software"): a traditional trade right before
    /// it is the tool's domain (阀门流体仿真与选型软件), not the firm's trade.
    ToolHead,
    /// Where the firm is (位于, "located in"): a term after it, up to the next 的 or comma, names
    /// its address or neighbourhood (位于电竞小镇商业街的KTV), not its business.
    Place,
    /// A feature of what a maker makes (支持, "with"): for a firm that makes things, a term after it
    /// in the clause describes its product (生产门锁，支持物联网远程管理; "makes locks with IoT
    /// connectivity").
    Feature,
    /// The firm makes nothing itself (自身不设工厂, "owns no factory"): a manufacturing word of its
    /// name is no counter-evidence.
    NoFactory,
}

impl Cue {
    pub(crate) const ALL: [Cue; 27] = [
        Cue::Negation,
        Cue::NegationAfter,
        Cue::Trade,
        Cue::TradeOverride,
        Cue::CustomerOpen,
        Cue::CustomerClose,
        Cue::Customer,
        Cue::Channel,
        Cue::ChannelClose,
        Cue::Uses,
        Cue::Fair,
        Cue::Sideline,
        Cue::Project,
        Cue::ProjectAfter,
        Cue::ProductHead,
        Cue::Training,
        Cue::Own,
        Cue::Make,
        Cue::Platform,
        Cue::Shared,
        Cue::Fleet,
        Cue::Users,
        Cue::ProductFor,
        Cue::ToolHead,
        Cue::Place,
        Cue::Feature,
        Cue::NoFactory,
    ];

    pub(crate) fn bit(self) -> u32 {
        1 << self as u8
    }

    /// The cues that take part in role resolution.
    pub(crate) const ROLE_BITS: u32 = (1 << Cue::CustomerOpen as u8)
        | (1 << Cue::ChannelClose as u8)
        | (1 << Cue::Customer as u8)
        | (1 << Cue::Channel as u8)
        | (1 << Cue::Uses as u8)
        | (1 << Cue::Fair as u8)
        | (1 << Cue::Sideline as u8)
        | (1 << Cue::Project as u8)
        | (1 << Cue::ProjectAfter as u8)
        | (1 << Cue::ProductHead as u8)
        | (1 << Cue::ProductFor as u8)
        | (1 << Cue::Training as u8)
        | (1 << Cue::Place as u8)
        | (1 << Cue::Feature as u8);
}

/// What a term names, seen from the firm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// The firm's own business (the default).
    #[default]
    Own,
    /// Its customers or their domain (为X提供, 面向X, "serves X").
    Customer,
    /// A sales channel for its goods (通过X销售, 入驻X).
    Channel,
    /// A tool or input it uses (接入X, 安装X, "equipped with X").
    Uses,
    /// A fair it attends (参加X博览会).
    Fair,
    /// A sideline or agency service (代办X, 兼营X).
    Sideline,
    /// A site it builds (承建X, X配套工程).
    Project,
    /// A feature of a product it makes (X椅, X床).
    Product,
    /// A product it makes, in an industry whose makers are not its target (智能门锁生产).
    Made,
    /// What a school teaches (X培训班).
    Training,
    /// Where it is (位于X的, "located in X"): an address, a street or a park it sits in.
    Place,
}

impl Role {
    /// Whether counter-evidence (a traditional industry) found in this role speaks of the firm.
    pub fn counts_against(self) -> bool {
        matches!(
            self,
            Role::Own | Role::Product | Role::Made | Role::Channel | Role::Training
        )
    }

    fn of_cue(c: Cue) -> Option<Role> {
        Some(match c {
            Cue::Customer => Role::Customer,
            Cue::Channel => Role::Channel,
            Cue::Uses => Role::Uses,
            Cue::Fair => Role::Fair,
            Cue::Sideline => Role::Sideline,
            Cue::Project => Role::Project,
            Cue::ProductFor => Role::Product,
            Cue::Place => Role::Place,
            _ => return None,
        })
    }
}

/// Characters that, right before 为, make it a copula or preposition rather than "for"
/// (成为, 作为, 认定为, 以…为核心, 更为 …).
const NOT_FOR: &[char] = &[
    '成', '作', '认', '评', '称', '更', '以', '因', '即', '均', '分', '视', '较', '极', '最', '尤', '广', '互', '定',
    '改', '转', '化', '划', '名', '选', '身', '行', '所', '是', '大', '主',
    // before 给: handing over, not "for" (交给快递, 发给, 送给, 带给 …)
    '交', '发', '卖', '送', '带', '递', '留', '还', '借', '献', '让', '输', '供', '嫁', '配',
];

/// Characters that, right after a one-character product head, make a different word
/// (服务, 包括, 灯光秀, 桌游, 柜台 …).
const NOT_HEAD: &[char] = &[
    '务', '从', '括', '含', '光', '会', '游', '台', '位', '装', '容', '器', '饰',
];

/// The role of a term at `s..e` in the clause `cs..ce` of `text`, from `cues` (start, end, kind),
/// the cues lying wholly inside that clause in any order.
/// `makes`: the firm says it makes things (its name or first clause), so a `Feature` cue anywhere
/// describes its product; otherwise only one after a making word of the same clause does.
pub(crate) fn role_of(
    text: &str,
    cues: &[(usize, usize, Cue)],
    cs: usize,
    ce: usize,
    s: usize,
    e: usize,
    makes: bool,
) -> Role {
    let in_clause = |c: &&(usize, usize, Cue)| c.0 >= cs && c.1 <= ce;
    // Right after the term: a product head or a building word.
    for c in cues.iter().filter(in_clause) {
        match c.2 {
            Cue::ProductHead if head_follows(text, e, c.0) && head_is_word(text, c.0, c.1) => return Role::Product,
            Cue::ProjectAfter if c.0 >= e && c.0 <= e + 12 => return Role::Project,
            Cue::ProductFor if c.0 >= e && is_product_for(text, e, c.0, c.1) => return Role::Product,
            _ => {}
        }
    }
    // What a school teaches (电商直播运营培训班) is its subject, whatever else the clause says.
    if cues.iter().filter(in_clause).any(|c| c.2 == Cue::Training) {
        return Role::Training;
    }
    // The last selling word and the last customer-closing word of the clause, found once: each
    // opener below asks only whether one stands after it (asking per opener made a clause of
    // thousands of cues cubic — 为ai提供 repeated over a 44 KB scope took 48 s).
    let last_start = |kind: Cue| cues.iter().filter(in_clause).filter(|k| k.2 == kind).map(|k| k.0).max();
    let last_channel_close = last_start(Cue::ChannelClose);
    let last_customer_close = last_start(Cue::CustomerClose);
    // The first making word of the clause, looked up once and only when a "for" or a feature cue
    // asks whether one stands before it.
    let first_make = std::cell::OnceCell::new();
    let make_before = |at: usize| {
        first_make
            .get_or_init(|| {
                cues.iter()
                    .filter(in_clause)
                    .filter(|k| k.2 == Cue::Make)
                    .map(|k| k.0)
                    .min()
            })
            .is_some_and(|m| m < at)
    };
    // The nearest role cue before the term, unless a verb of the firm's own business follows it.
    let mut nearest: Option<(usize, usize, Cue)> = None;
    let mut last_own = None::<usize>;
    for &c in cues.iter().filter(in_clause) {
        match c.2 {
            Cue::Own if ends_before(text, c.1, s) => last_own = last_own.max(Some(c.0)),
            Cue::Customer | Cue::Uses | Cue::Fair | Cue::Sideline | Cue::Project
                if ends_before(text, c.1, s) && nearest.is_none_or(|n| c.0 > n.0) =>
            {
                nearest = Some(c)
            }
            // A feature of a maker's product: 生产门锁，支持物联网远程管理.
            Cue::Feature
                if ends_before(text, c.1, s) && nearest.is_none_or(|n| c.0 > n.0) && (makes || make_before(c.0)) =>
            {
                nearest = Some((c.0, c.1, Cue::ProductFor))
            }
            // An address reaches the next 的 or comma: 位于电竞小镇商业街的KTV is a KTV, and
            // 位于温州的电竞俱乐部 an e-sports club.
            Cue::Place
                if ends_before(text, c.1, s)
                    && nearest.is_none_or(|n| c.0 > n.0)
                    && text
                        .get(c.1..s)
                        .is_some_and(|gap| !gap.contains(['的', ',', '，', '、', ';', '；'])) =>
            {
                nearest = Some(c)
            }
            // A channel needs a selling word after the cue (通过X销售, "through its own shops on
            // X"), or 通过大数据…提供 would be one.
            Cue::Channel
                if ends_before(text, c.1, s)
                    && nearest.is_none_or(|n| c.0 > n.0)
                    && last_channel_close.is_some_and(|k| k >= c.1) =>
            {
                nearest = Some(c)
            }
            Cue::CustomerOpen
                if ends_before(text, c.1, s)
                    && nearest.is_none_or(|n| c.0 > n.0)
                    && opener_is_for(text, c.0)
                    && last_customer_close.is_some_and(|k| k >= e) =>
            {
                nearest = Some((c.0, c.1, Cue::Customer))
            }
            // What a maker makes something for ("manufactures cooling fans for AI servers") is
            // where its product goes, as 用 in 人工智能服务器用散热风扇.
            Cue::CustomerOpen
                if ends_before(text, c.1, s)
                    && nearest.is_none_or(|n| c.0 > n.0)
                    && text.get(c.0..c.1).is_some_and(|w| w.trim() == "for")
                    && make_before(c.0) =>
            {
                nearest = Some((c.0, c.1, Cue::ProductFor))
            }
            _ => {}
        }
    }
    if let Some((start, end, kind)) = nearest
        && last_own.is_none_or(|o| o < start)
        && let Some(role) = Role::of_cue(kind)
    {
        // 面向小微企业的进销存小程序: the customers end at 的 when the term after it heads for a
        // software or platform noun of the same phrase — the firm's own product.
        if kind == Cue::Customer && names_own_tool(text, cues.iter().filter(in_clause), end, s, e) {
            return Role::Own;
        }
        return role;
    }
    Role::Own
}

/// Whether the term at `s..e`, after a customer cue ending at `cue_end`, stands after a 的 of that
/// span and before a tool head (小程序, 软件, 平台 …) of its own phrase (no comma or list mark
/// between): the customers modify the firm's product, which is the term.
fn names_own_tool<'a>(
    text: &str,
    mut cues: impl Iterator<Item = &'a (usize, usize, Cue)>,
    cue_end: usize,
    s: usize,
    e: usize,
) -> bool {
    text.get(cue_end..s).is_some_and(|gap| gap.contains('的'))
        && cues.any(|c| {
            c.2 == Cue::ToolHead
                && c.0 >= e
                && text
                    .get(e..c.0)
                    .is_some_and(|g| g.chars().count() <= 8 && !g.contains([',', '，', '、', ';', '；', '|']))
        })
}

/// Characters that, right before 用, make a word of using (使用, 应用, 运用, 采用, 信用 …)
/// rather than the attributive "for" of 车用, 医用, 服务器用.
const NOT_BEFORE_USE: &[char] = &[
    '使', '应', '运', '采', '利', '租', '享', '试', '引', '适', '通', '信', '费', '可', '作', '实', '日', '食', '饮',
    '服', '启', '沿', '任', '录', '雇', '聘', '调', '挪', '借', '占', '征', '共', '善', '重', '有', '无', '不', '没',
    '免', '惯', '兼', '合', '专', '商', '民', '家', '军', '自', '公', '妙', '活', '效', '功', '耐', '选', '擅', '滥',
    '误', '套', '援',
];

/// Characters that, right after 用, make a word of its own (用于, 用户, 用途, 用地, 用工, 用电 …)
/// rather than the product that follows "X用".
const NOT_AFTER_USE: &[char] = &[
    '于', '以', '来', '作', '户', '途', '量', '地', '工', '语', '到', '在', '了', '餐', '车', '药', '水', '能', '人',
    '法', '时', '心', '力', '款', '钱', '金', '费', '度', '印', '章', '者', '好', '完', '上', '过', '的', '得', '着',
    '去', '给', '气', '热', '材', '料', '品', '兵', '武',
];

/// Whether the 用 at `u..ue`, `gap_start` bytes after a term's end, is the attributive "for" of
/// "X用Y" (人工智能服务器用散热风扇, 5G基站用滤波器): at most six ideographs between the term and 用,
/// a product ideograph after it, and neither neighbour making another word (使用, 用于, 用户 …;
/// 用电 unless 用电池).
fn is_product_for(text: &str, gap_start: usize, u: usize, ue: usize) -> bool {
    let gap = &text[gap_start..u];
    if gap.chars().count() > 6 || !gap.chars().all(is_cjk) {
        return false;
    }
    if text[..u]
        .chars()
        .next_back()
        .is_some_and(|c| NOT_BEFORE_USE.contains(&c))
    {
        return false;
    }
    let mut after = text[ue..].chars();
    match after.next() {
        Some('电') => after.next() == Some('池'),
        // X用的Y (物联网模组用的PCB电路板): the same "for", with the product after 的.
        // (Latin words stand between spaces in the analysed text.)
        Some('的') => after
            .find(|c| *c != ' ')
            .is_some_and(|c| (is_cjk(c) && !NOT_AFTER_USE.contains(&c)) || c.is_ascii_alphanumeric()),
        Some(c) => is_cjk(c) && !NOT_AFTER_USE.contains(&c),
        None => false,
    }
}

/// Whether a cue ending at `end` stands before a term starting at `s`. Latin keys carry their
/// spaces: a cue " equip with " and the term " nb iot " right after it share one space.
fn ends_before(text: &str, end: usize, s: usize) -> bool {
    end <= s || (end == s + 1 && text.as_bytes().get(s) == Some(&b' '))
}

/// 为 / 向 read as "for" / "to" (not 成为, 以…为, 更为 …).
fn opener_is_for(text: &str, start: usize) -> bool {
    !text[..start].chars().next_back().is_some_and(|c| NOT_FOR.contains(&c))
}

/// Modifiers that may stand between a term and its product head: 物联网智能水表 is a water meter
/// as 物联网水表 is.
const HEAD_MODIFIERS: &[&str] = &[
    "智能",
    "智慧",
    "数字",
    "数码",
    "远传",
    "无线",
    "联网",
    "电子",
    "预付费",
    // where the head is (主题乐园外停车场, 会展中心内便利店) or when (展会期间保洁): the term is a
    // place or an occasion of an ordinary service
    "外",
    "内",
    "周边",
    "期间",
    "smart",
    "connected",
];

/// Whether a product head starting at `head` follows the term ending at `e`: at once, or after
/// one modifier of [`HEAD_MODIFIERS`]. (Any short run of characters was tried: 三维打印机等设备
/// and 识别没戴安全帽 then read as products.)
fn head_follows(text: &str, e: usize, head: usize) -> bool {
    head == e
        || head > e
            && text
                .get(e..head)
                .is_some_and(|gap| HEAD_MODIFIERS.contains(&gap.trim()))
}

/// A one-character product head that is not the first character of another word.
fn head_is_word(text: &str, start: usize, end: usize) -> bool {
    if text[start..end].chars().count() > 1 || !text.is_char_boundary(end) {
        return true;
    }
    !text[end..].chars().next().is_some_and(|c| NOT_HEAD.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(text: &str, word: &str, kind: Cue) -> (usize, usize, Cue) {
        let s = text.find(word).expect("cue in text");
        (s, s + word.len(), kind)
    }

    fn role(text: &str, term: &str, cues: &[(usize, usize, Cue)]) -> Role {
        let s = text.find(term).expect("term in text");
        role_of(text, cues, 0, text.len(), s, s + term.len(), false)
    }

    #[test]
    fn a_term_between_for_and_provide_names_customers() {
        let t = "为ai初创企业提供联合办公空间";
        let cues = [
            cue(t, "为", Cue::CustomerOpen),
            cue(t, "提供", Cue::CustomerClose),
            cue(t, "提供", Cue::Own),
        ];
        assert_eq!(role(t, "ai", &cues), Role::Customer);
        assert_eq!(role(t, "联合办公", &cues), Role::Own);
    }

    #[test]
    fn become_is_not_for() {
        let t = "成为区块链领先企业并提供服务";
        let cues = [cue(t, "为", Cue::CustomerOpen), cue(t, "提供", Cue::CustomerClose)];
        assert_eq!(role(t, "区块链", &cues), Role::Own);
    }

    #[test]
    fn an_own_verb_after_a_cue_gives_the_term_back_to_the_firm() {
        let t = "使用再生料生产塑料制品";
        let cues = [cue(t, "使用", Cue::Uses), cue(t, "生产", Cue::Own)];
        assert_eq!(role(t, "再生料", &cues), Role::Uses);
        assert_eq!(role(t, "塑料制品", &cues), Role::Own);
    }

    #[test]
    fn the_attributive_use_of_x_yong_y_names_where_a_product_goes() {
        let t = "人工智能服务器用散热风扇的生产";
        assert_eq!(role(t, "人工智能", &[cue(t, "用", Cue::ProductFor)]), Role::Product);
        let t = "5g基站用滤波器";
        assert_eq!(role(t, "5g", &[cue(t, "用", Cue::ProductFor)]), Role::Product);
        // Words of using, words that start with 用, and 商用/民用 (what the product itself is) are
        // not "for".
        for (t, term) in [
            ("区块链技术应用开发", "区块链"),
            ("人工智能使用规范", "人工智能"),
            ("物联网用户运营", "物联网"),
            ("共享用车平台", "共享"),
            ("智慧用电管理系统", "智慧"),
            ("区块链商用平台", "区块链"),
        ] {
            assert_eq!(role(t, term, &[cue(t, "用", Cue::ProductFor)]), Role::Own, "{t}");
        }
        assert_eq!(
            role("储能用电池", "储能", &[cue("储能用电池", "用", Cue::ProductFor)]),
            Role::Product
        );
        // X用的Y is the same "for".
        for t in ["物联网模组用的电路板", "物联网模组用的 pcb "] {
            assert_eq!(
                role(t, "物联网模组", &[cue(t, "用", Cue::ProductFor)]),
                Role::Product,
                "{t}"
            );
        }
        // Too far from the term, or across a break: the term's own.
        for t in ["人工智能|服务器用风扇", "人工智能及各类大型数据中心机房用风扇"] {
            assert_eq!(role(t, "人工智能", &[cue(t, "用", Cue::ProductFor)]), Role::Own, "{t}");
        }
    }

    #[test]
    fn a_feature_describes_a_makers_product_only() {
        let t = " make lock with iot connect ";
        let cues = [cue(t, " make ", Cue::Make), cue(t, " with ", Cue::Feature)];
        assert_eq!(role(t, " iot ", &cues), Role::Product);
        // Without a making word, "with" says nothing.
        assert_eq!(role(t, " iot ", &cues[1..]), Role::Own);
        // A firm that makes things (its name or first clause) needs none in the clause.
        let t = "支持物联网远程管理";
        let c = [cue(t, "支持", Cue::Feature)];
        assert_eq!(role_of(t, &c, 0, t.len(), 6, 15, true), Role::Product);
        assert_eq!(role_of(t, &c, 0, t.len(), 6, 15, false), Role::Own);
    }

    #[test]
    fn an_address_reaches_the_next_de_or_comma() {
        let t = "位于电竞小镇商业街的量贩式ktv";
        assert_eq!(role(t, "电竞小镇", &[cue(t, "位于", Cue::Place)]), Role::Place);
        // After 的 comes what the firm is: an address does not reach it.
        let t = "位于温州的电竞俱乐部";
        assert_eq!(role(t, "电竞俱乐部", &[cue(t, "位于", Cue::Place)]), Role::Own);
        let t = "位于鹿城，运营电竞俱乐部";
        assert_eq!(role(t, "电竞俱乐部", &[cue(t, "位于", Cue::Place)]), Role::Own);
    }

    #[test]
    fn what_a_maker_makes_something_for_is_where_its_product_goes() {
        let t = " manufactur cool fan for ai server ";
        let cues = [cue(t, " manufactur ", Cue::Make), cue(t, " for ", Cue::CustomerOpen)];
        assert_eq!(role(t, " ai ", &cues), Role::Product);
        // Without a making word before it, "for" alone says nothing.
        assert_eq!(role(t, " ai ", &cues[1..]), Role::Own);
    }

    #[test]
    fn customers_end_at_de_before_the_firms_own_tool() {
        // 面向X的Y小程序: X are customers, Y (before a tool head of its phrase) the firm's product.
        let t = "面向小微工厂的进销存小程序";
        let c = [cue(t, "面向", Cue::Customer), cue(t, "小程序", Cue::ToolHead)];
        assert_eq!(role(t, "进销存", &c), Role::Own);
        assert_eq!(role(t, "工厂", &c), Role::Customer);
        // Without a tool head after it, the span reaches on.
        let t = "面向小微工厂的进销存管理";
        assert_eq!(role(t, "进销存", &[cue(t, "面向", Cue::Customer)]), Role::Customer);
    }

    #[test]
    fn product_heads_and_building_words_after_the_term() {
        let t = "电竞椅生产";
        assert_eq!(role(t, "电竞", &[cue(t, "椅", Cue::ProductHead)]), Role::Product);
        let t = "电竞服务";
        assert_eq!(role(t, "电竞", &[cue(t, "服", Cue::ProductHead)]), Role::Own);
        let t = "电竞小镇配套道路工程代建";
        assert_eq!(role(t, "电竞小镇", &[cue(t, "配套", Cue::ProjectAfter)]), Role::Project);
        // One modifier may stand between: 物联网智能水表 is a meter; 物联网平台水表 is no such form.
        let t = "生产物联网智能水表";
        assert_eq!(role(t, "物联网", &[cue(t, "水表", Cue::ProductHead)]), Role::Product);
        let t = "物联网平台及水表";
        assert_eq!(role(t, "物联网", &[cue(t, "水表", Cue::ProductHead)]), Role::Own);
    }

    #[test]
    fn cue_bits_follow_the_order_of_all() {
        // The extractor turns a pattern's cue bits back into kinds by bit index.
        for (i, k) in Cue::ALL.iter().enumerate() {
            assert_eq!(k.bit(), 1 << i, "{k:?}");
        }
    }

    #[test]
    fn counter_evidence_counts_only_where_it_speaks_of_the_firm() {
        assert!(Role::Own.counts_against());
        assert!(!Role::Customer.counts_against());
        assert!(!Role::Uses.counts_against());
    }
}
