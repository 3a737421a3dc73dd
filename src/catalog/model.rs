//! The catalogue's data types, as written in the TOML files of `catalog/`.

use serde::{Deserialize, Serialize};

/// One of the plan's five key tasks (五大重点任务), e.g. 聚焦数字经济.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub no: u32,
    pub id: String,
    pub name: String,
    pub name_en: String,
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub clause: String,
}

/// One of the plan's 12 numbered target sectors (e.g. 6 泛娱乐产业).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub no: u32,
    pub id: String,
    pub theme: u32,
    pub name: String,
    pub name_en: String,
    pub clause: String,
    #[serde(default)]
    pub summary: String,
    /// 牵头单位
    pub lead_unit: String,
    /// 责任单位
    #[serde(default)]
    pub responsible_units: Vec<String>,
    /// 载体: parks, bases, platforms, projects the plan names for the sector.
    #[serde(default)]
    pub carriers: Vec<String>,
    /// The plan's numeric targets, in our words.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Other lead units named by the plan's annex for parts of the sector.
    #[serde(default)]
    pub annex_lead_units: Vec<String>,
}

/// An industry under a sector (e.g. 电子竞技 under 泛娱乐产业): the unit of matching.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Industry {
    pub id: String,
    pub sector: String,
    pub name: String,
    pub name_en: String,
    pub clause: String,
    #[serde(default)]
    pub summary: String,
    /// How such firms describe their work in plain words, without the industry's own terms
    /// (旧发动机拆解、清洗、更换磨损件后按新品标准检测出厂; "melts metal powder layer by layer"):
    /// Chinese and English sentences written from industry knowledge. Indexed with the summary
    /// (the description-level layer, `search` and the loose words of the fit); never a term.
    #[serde(default)]
    pub describes: Vec<String>,
    /// Terms that identify the industry on their own.
    #[serde(default)]
    pub strong: Vec<String>,
    /// Terms that count only together with another term of the industry.
    #[serde(default)]
    pub support: Vec<String>,
    /// Broad words that count only beside a strong or supporting term.
    #[serde(default)]
    pub generic: Vec<String>,
    /// GB/T 4754-2017 classes where such firms normally register.
    #[serde(default)]
    pub gbt: Vec<String>,
    /// Adjacent GB/T 4754-2017 classes (weaker evidence).
    #[serde(default)]
    pub gbt_related: Vec<String>,
    #[serde(default)]
    pub carriers: Vec<String>,
    #[serde(default)]
    pub lead_unit: Option<String>,
    #[serde(default)]
    pub responsible_units: Option<Vec<String>>,
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The industry's terms name end products whose makers are not its target (labelling
    /// convention of `../shared/eval/README.md`: makers of ordinary products with smart features,
    /// suppliers of parts, medical beds or car electronics are 0): a term of such an industry in
    /// a clause that also says 生产 / 制造 / "manufactures" (`[roles] make` of terms.toml) names a
    /// product the firm makes and weighs `[roles] product`, not its own business.
    #[serde(default)]
    pub makers_excluded: bool,
    /// Making the industry's own technology is its plan business: the labelling conventions make
    /// "makers of the core technology the plan names (chips, IoT modules and platforms,
    /// BeiDou/satellite terminals, VR/AR devices, 3D printers)" item 1, and 再制造 is making by
    /// name (item 12, plan 二（五）12). A firm that makes a name or strong term of such an
    /// industry as its own business is read as its maker (`crate::matcher::lexical::Reading::maker`):
    /// the words of making and selling in its 经营范围 do not count against it. Never together with
    /// `makers_excluded`.
    #[serde(default)]
    pub core_makers: bool,
    /// The industry's business is teaching itself (digital education): a school's training words
    /// (terms.toml `[roles] training`: 少儿编程, 培训班 …) make other trades' terms its subject
    /// (电商直播运营培训班 teaches live selling), never this industry's strong and supporting terms,
    /// which say how it teaches (少儿编程在线教育平台 is an online school, item 6).
    #[serde(default)]
    pub teaching: bool,
    /// The industry's terms describe a service that asset-based carriers also name (冷链物流,
    /// 同城配送, 供应链管理): where the firm says it owns its vehicles (`[roles] fleet` of
    /// terms.toml: 自有冷藏车, 自有半挂车, "company-owned trucks"), it is a carrier — 0 by the
    /// labelling convention — and the terms weigh `[roles] made`.
    #[serde(default)]
    pub fleet_excluded: bool,
    /// The industry's terms also say how a seller's own goods reach its customers (提供同城配送,
    /// 通过快递发往全国, 冷链配送至超市): for a firm whose first 经营范围 item is a traditional trade
    /// (counter-evidence: 制作生日蛋糕, 种植瓯柑), such a term in a later item is its delivery
    /// channel and weighs `[roles] channel` (issue 13, kind 1).
    #[serde(default)]
    pub sellers_deliver: bool,
    /// What a platform of this industry shares or matches (consultants, spare capacity, 实验室,
    /// 工位 …): such a word in the same passage (its clause and the ones beside it) as a
    /// matching cue (`[roles] platform` of terms.toml: 撮合, 对接, "connects", "marketplace" …)
    /// reads as the strong term `shared_as`, at `[roles] split` of its weight. Issue 13, kind 6:
    /// a sharing platform is its model, not the domain of what it shares.
    #[serde(default)]
    pub shared: Vec<String>,
    /// One of `strong`: the term a platform match stands for (shown as evidence).
    #[serde(default)]
    pub shared_as: Option<String>,
}

/// A company or platform the plan names (阿里巴巴, 腾讯 …).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub clause: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A group of counter-evidence terms: a traditional industry outside the plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegativeGroup {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub gbt: Vec<String>,
    /// Industry words of a company name (温州某某置业有限公司 → 置业) that mark this group.
    #[serde(default)]
    pub name_words: Vec<String>,
    #[serde(default)]
    pub terms: Vec<String>,
    /// Endings of a business-scope item that say this group by their form alone (制造, 加工):
    /// an item of the scope ending so, with no catalogue term or counter-evidence term of its own
    /// (摩托车零配件制造, 机械零件、零部件加工), is evidence of the group. Registration scopes
    /// name manufacturing items in this form (经营范围规范表述); no term list can hold every
    /// product a district makes.
    #[serde(default)]
    pub item_endings: Vec<String>,
    /// The owner-and-vehicle cues of `[roles]` (自有冷藏车, 拥有货车, "company-owned trucks": see
    /// [`RoleCues::owned_vehicles`]) are terms of this group too: a firm that owns its vehicles is a
    /// carrier whatever devices they carry (车辆均装北斗定位).
    #[serde(default)]
    pub fleet: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// Global vocabulary (`terms.toml`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalTerms {
    /// Words that never count alone, anywhere.
    #[serde(default)]
    pub generic: Vec<String>,
    /// Registration boilerplate stripped before matching.
    #[serde(default)]
    pub boilerplate: Vec<String>,
    /// Standard 经营范围 items that technology firms of every trade list as padding (软件开发,
    /// 信息系统集成服务, 网络技术服务 …: the 《经营范围规范表述目录》 wording). They are evidence of their
    /// industry, but a sector whose own terms are all padding does not come first when another
    /// sector has a term of its own (issue 13, kinds 6 and 11: `餐饮外卖平台运营` after the
    /// padding is a delivery platform, not a software house).
    #[serde(default)]
    pub padding: Vec<String>,
    /// Counter-evidence groups.
    #[serde(default)]
    pub negative: Vec<NegativeGroup>,
    /// Negation cues (不含, 不涉及 …): a term after one of these, in the same clause, does not
    /// count ("生活美容（不涉及医疗美容）").
    #[serde(default)]
    pub negation: Vec<String>,
    /// One-character negation prefixes that negate only the term right after them (非医疗美容).
    #[serde(default)]
    pub negation_prefix: Vec<String>,
    /// Words after a term that end it in its clause (跨境电商业务已于2020年终止, "was
    /// discontinued"), like 除外.
    #[serde(default)]
    pub negation_after: Vec<String>,
    /// Trade cues (销售, 批发 …): a term in a clause that only sells or distributes it counts
    /// less ("集成电路芯片及产品销售" is a distributor, not a chip maker).
    #[serde(default)]
    pub trade: Vec<String>,
    /// Words that make a clause more than trade ("集成电路设计与销售" designs chips).
    #[serde(default)]
    pub trade_override: Vec<String>,
    /// Clause-role cues: what a catalogue term names when it is not the firm's own business
    /// (its customers, sales channel, a tool it uses, a fair, a sideline, a building project,
    /// a product feature). See `crate::matcher` (clause roles).
    #[serde(default)]
    pub roles: RoleCues,
}

/// Cues that give a term found in the same clause a role other than the firm's own business
/// (`terms.toml` `[roles]`). Lists of words; each is matched in analysis form like any term.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoleCues {
    /// Opens a customer span that a `customer_close` word after the term closes: 为…提供,
    /// "for … clients". A term between them names the firm's customers.
    pub customer_open: Vec<String>,
    pub customer_close: Vec<String>,
    /// Every term after one of these in the clause names customers (面向, 服务于, 供应, "serves").
    pub customer: Vec<String>,
    /// A sales channel for the firm's own goods: a `channel` word before the term and a
    /// `channel_close` word after it (通过X销售, 入驻X零售, "sells through X").
    pub channel: Vec<String>,
    pub channel_close: Vec<String>,
    /// A tool or input the firm uses in its own work (接入, 上线, 安装, "equipped with").
    pub uses: Vec<String>,
    /// A fair the firm attends (参展, 亮相, "exhibits at").
    pub fair: Vec<String>,
    /// A sideline or agency service beside the main business (代办, 兼营).
    pub sideline: Vec<String>,
    /// A building project the firm builds or services (承建, 代建).
    pub project: Vec<String>,
    /// Right after a term: the term is a site the firm builds (…配套工程, …代建).
    pub project_after: Vec<String>,
    /// Right after a term: the term describes a product the firm makes (电竞椅, 康复护理床).
    pub product_head: Vec<String>,
    /// The attributive "for" of "X用Y" (人工智能服务器用散热风扇, 5G基站用滤波器, 车用线束): a term
    /// a few ideographs before it is where the firm's product goes, not its business. Words that
    /// merely contain the character (使用, 用于, 用户, 用电 …) are told apart in
    /// `crate::matcher` by their neighbours.
    pub product_for: Vec<String>,
    /// Software and platform nouns (软件, 平台, 小程序, "software", "platform"): a traditional trade a
    /// few characters before one, with no verb of the firm's own between, is the tool's domain
    /// (阀门流体仿真与选型软件, 泵阀产能共享平台) and does not count against the firm.
    pub tool_head: Vec<String>,
    /// A trade the firm's premises once housed, right before counter-evidence (原鞋厂, 废弃的
    /// 阀门厂, "a former shoe factory"): the building's history, not the firm's trade.
    pub former: Vec<String>,
    /// The same right after counter-evidence (鞋厂厂房, 纺织厂旧址, "shoe factory buildings").
    pub building: Vec<String>,
    /// A trade's waste, right before counter-evidence (收购废电线, "spent solvents"): a
    /// recycler's input, not its product.
    #[serde(default)]
    pub waste: Vec<String>,
    /// The same right after counter-evidence (电线电缆边角料, "cable offcuts").
    #[serde(default)]
    pub leftovers: Vec<String>,
    /// Other firms, right before counter-evidence (乐清一家低压电器厂, 300多家鞋企): the trade of a
    /// customer or user the text tells of, not the firm's own — unless 是 comes right before
    /// (本公司是一家鞋厂).
    pub others: Vec<String>,
    /// Teaching the term (培训班, 职业技能培训): a school, not the business itself.
    pub training: Vec<String>,
    /// Where the firm is (位于, 坐落于, "located in"): a term after one, up to the next 的, comma or
    /// list mark, names its address, street or park (位于电竞小镇商业街的KTV), not its business.
    pub place: Vec<String>,
    /// A feature of what a maker makes (支持, 具备, "with"): for a firm that makes things (its name
    /// or first clause says so, or a making word earlier in the clause), a term after one
    /// describes its product (生产指纹门锁，支持物联网远程管理), not its business.
    pub feature: Vec<String>,
    /// The firm makes nothing itself (自身不设工厂, 交给合作工厂生产, "owns no factory", fabless): a
    /// manufacturing word of its name (某某服饰科技有限公司) names what it sells or designs, not
    /// a factory, and is no counter-evidence.
    pub no_factory: Vec<String>,
    /// Making (生产, 制造, 组装, "manufactures"): anywhere in the clause, a term of an industry
    /// with `makers_excluded` names a product the firm makes.
    pub make: Vec<String>,
    /// Matching by a platform (撮合, 对接, 抽佣, "connects … with", "marketplace"): with an
    /// industry's `shared` word in the same passage, the profile describes that industry's
    /// platform.
    pub platform: Vec<String>,
    /// Naming who uses the firm's service (撮合, 汇聚, "lets", "helps", "marketplace where"): a
    /// counter-evidence term after one of these in its clause names the platform's users or the
    /// software's clients (汇聚近300家泵阀企业的闲置产能; "lets garment factories track …"), not the
    /// firm's own trade, and does not count against it.
    pub users: Vec<String>,
    /// Owning vehicles (自有冷藏车, 自有半挂车, "company-owned trucks"): the firm is a carrier, and
    /// the terms of `fleet_excluded` industries weigh `[roles] made`. Not after 不 / 无 (不拥有车辆).
    pub fleet: Vec<String>,
    /// Owning words (自有, 自备, 拥有, "company-owned", "own"), each joined with every
    /// `fleet_vehicle` word (自有 + 冷藏车, "company-owned" + "refrigerated trucks") into one more
    /// `fleet` cue: see [`RoleCues::fleet_cues`].
    pub fleet_owner: Vec<String>,
    /// Vehicles and vessels a carrier owns (货车, 半挂车, 冷藏车, "trucks", "vessels").
    pub fleet_vehicle: Vec<String>,
    /// Verbs that give what follows back to the firm's own business (提供, 运营, 开发, 从事 …):
    /// a role cue reaches the terms after it up to the next of these.
    pub own: Vec<String>,
}

impl RoleCues {
    /// The owning-vehicles cues: `fleet` and every `fleet_owner` word joined with every
    /// `fleet_vehicle` word, directly in Chinese (自有冷藏车) and with a space when the owner word
    /// ends in a Latin letter ("company-owned refrigerated trucks").
    pub fn fleet_cues(&self) -> Vec<String> {
        let mut out = self.fleet.clone();
        out.extend(self.owned_vehicles());
        out
    }

    /// Every `fleet_owner` word joined with every `fleet_vehicle` word (the part of
    /// [`RoleCues::fleet_cues`] that names both an owner and a vehicle).
    pub fn owned_vehicles(&self) -> Vec<String> {
        let mut out = Vec::new();
        for owner in &self.fleet_owner {
            let latin = owner.chars().last().is_some_and(|c| c.is_ascii_alphabetic());
            for vehicle in &self.fleet_vehicle {
                let v_latin = vehicle.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
                if latin != v_latin {
                    continue;
                }
                out.push(if latin {
                    format!("{owner} {vehicle}")
                } else {
                    format!("{owner}{vehicle}")
                });
            }
        }
        out
    }
}
