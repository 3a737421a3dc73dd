//! `score`: realistic profiles for every sector land in it; traditional companies get `none`;
//! bad input gets a clear error and the right exit code.

use crate::util::{Sandbox, json, stderr, stdout};

fn score(sb: &Sandbox, name: &str, scope: &str) -> serde_json::Value {
    json(&sb.run(&["score", "--name", name, "--scope", scope, "--format", "json"]))
}

/// (sector_no, name, scope): one realistic profile per sector, in registration, blurb, English
/// and traditional-Chinese styles. Written for these tests, not taken from any dev set.
const TARGETS: &[(u32, &str, &str)] = &[
    (
        1,
        "温州芯途微电子有限公司",
        "一般项目：集成电路设计；集成电路芯片设计及服务；半导体分立器件销售；软件开发；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。",
    ),
    (
        1,
        "Lumen Ledger Ltd",
        "We build a permissioned blockchain platform and smart-contract tooling for trade documents, with a distributed ledger run by banks and ports.",
    ),
    (
        2,
        "温州云工互联科技有限公司",
        "公司主营工业互联网平台建设，为鞋服、泵阀企业提供设备联网、MES上云和生产数据采集分析服务，已服务300余家制造企业。",
    ),
    (
        3,
        "温州瓯信小额贷款股份有限公司",
        "许可项目：小额贷款业务（在温州市鹿城区范围内办理各项小额贷款，开展小企业发展、管理、财务等咨询业务）。",
    ),
    (
        4,
        "温州海贸通跨境电子商务有限公司",
        "跨境电商综合服务商，运营亚马逊、速卖通店铺，提供海外仓、跨境支付结算与出口退税代理服务。",
    ),
    (
        5,
        "温州运联智慧物流科技有限公司",
        "一般项目：供应链管理服务；智能仓储装备销售；国内货物运输代理；网络货运平台运营；物流信息平台开发；无车承运。",
    ),
    (
        6,
        "溫州星河電競娛樂有限公司",
        "經營電子競技俱樂部與職業戰隊，承辦電競賽事、直播與選手經紀，自有電競館一座。",
    ),
    (
        7,
        "温州拾光品牌设计有限公司",
        "专注品牌视觉识别系统（VI）设计、包装设计与新媒体内容运营，为本地鞋服企业提供品牌升级与广告创意服务。",
    ),
    (
        8,
        "温州共享智造科技有限公司",
        "搭建制造业产能共享平台，整合区域闲置数控机床与注塑设备，向中小企业开放共享加工产能和共享检测实验室。",
    ),
    (
        9,
        "Silverleaf Senior Living",
        "Operator of senior living communities and home-based elderly care, with a telemedicine service connecting residents to an internet hospital.",
    ),
    (
        10,
        "温州塘河夜游文化旅游有限公司",
        "运营塘河夜游航线与灯光秀，打造夜间消费街区，夜游、夜宴、夜娱一体的月光经济项目。",
    ),
    (
        11,
        "温州立信会计师事务所（普通合伙）",
        "审查企业会计报表，出具审计报告；验证企业资本，出具验资报告；办理企业合并、分立、清算事宜中的审计业务；代理记账；税务咨询。",
    ),
    (
        12,
        "浙江瓯绿再制造科技有限公司",
        "汽车零部件再制造：发动机、变速箱、起动机的旧件回收、拆解、清洗、再制造与检测，配套报废机动车回收拆解。",
    ),
];

/// Companies the plan does not target, several sharing words with targets.
const NON_TARGETS: &[(&str, &str)] = &[
    (
        "温州步步高鞋业有限公司",
        "一般项目：鞋制造；鞋帽批发；皮革制品制造；服装服饰批发；货物进出口（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。",
    ),
    (
        "永嘉县瓯北恒力阀门有限公司",
        "阀门、管件、法兰制造、加工、销售；智能阀门研发；泵及真空设备制造；货物进出口。",
    ),
    (
        "温州锦江置业有限公司",
        "房地产开发经营；商品房销售；物业管理；商业综合体管理服务；停车场服务。",
    ),
    (
        "山西晋能科技煤业有限公司",
        "煤炭开采、洗选及销售；矿山机械设备租赁；煤矸石综合利用。",
    ),
    (
        "温州老地方餐饮管理有限公司",
        "餐饮服务；食品经营；外卖送餐服务；小吃服务；酒类经营。",
    ),
    (
        "Harborview Hotels Group",
        "Owner and operator of mid-scale business hotels and serviced apartments across eastern China.",
    ),
    (
        "溫州永發五金製品有限公司",
        "五金製品、緊固件、彈簧生產加工及銷售，出口中東及東南亞市場。",
    ),
];

#[test]
fn a_realistic_profile_of_every_sector_lands_in_that_sector() {
    let sb = Sandbox::new();
    let mut seen = std::collections::BTreeSet::new();
    for (sector, name, scope) in TARGETS {
        let v = score(&sb, name, scope);
        let best = v["matches"][0]["sector_no"].as_u64().unwrap_or(0) as u32;
        assert_eq!(best, *sector, "{name}: {v}");
        assert_ne!(v["verdict"], "none", "{name}: {v}");
        seen.insert(*sector);
    }
    assert_eq!(seen.len(), 12, "every sector is covered by the fixture");
}

#[test]
fn traditional_industries_get_none() {
    let sb = Sandbox::new();
    for (name, scope) in NON_TARGETS {
        let v = score(&sb, name, scope);
        assert_eq!(v["verdict"], "none", "{name}: {v}");
    }
}

#[test]
fn the_result_has_the_interface_fields() {
    let sb = Sandbox::new();
    let v = score(
        &sb,
        "温州星耀电竞文化有限公司",
        "电子竞技赛事运营；电竞俱乐部管理；网络直播",
    );
    assert_eq!(v["name"], "温州星耀电竞文化有限公司");
    assert_eq!(v["verdict"], "target");
    let fit = v["fit"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&fit));
    let m = &v["matches"][0];
    for key in [
        "sector_no",
        "sector_id",
        "sector",
        "industry_id",
        "industry",
        "score",
        "evidence",
        "lead_unit",
        "responsible_units",
        "carriers",
        "clause",
    ] {
        assert!(!m[key].is_null(), "missing {key}: {m}");
    }
    assert_eq!(m["industry_id"], "esports");
    assert_eq!(m["score"].as_f64().unwrap(), fit);
    assert!(m["evidence"].as_array().unwrap().iter().any(|e| e == "电子竞技"), "{m}");
    assert_eq!(m["lead_unit"], "市委宣传部");
    assert!(m["clause"].as_str().unwrap().starts_with("二（三）6"));
    assert!(v["matches"].as_array().unwrap().len() <= 3);
}

#[test]
fn registration_boilerplate_alone_matches_nothing() {
    let sb = Sandbox::new();
    let v = score(
        &sb,
        "",
        "一般项目：除依法须经批准的项目外，凭营业执照依法自主开展经营活动。许可项目：依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以审批结果为准。",
    );
    assert_eq!(v["verdict"], "none", "{v}");
}

#[test]
fn negated_terms_do_not_count() {
    let sb = Sandbox::new();
    let v = score(
        &sb,
        "温州丽人美发店",
        "美发服务；生活美容服务（不含医疗美容）；化妆品零售。",
    );
    assert_eq!(v["verdict"], "none", "{v}");
}

#[test]
fn the_declared_gbt_code_strengthens_the_match() {
    let sb = Sandbox::new();
    let without = score(&sb, "温州某某科技有限公司", "软件开发；信息系统集成服务");
    let with = json(&sb.run(&[
        "score",
        "--name",
        "温州某某科技有限公司",
        "--scope",
        "软件开发；信息系统集成服务",
        "--industry",
        "I6513",
        "--format",
        "json",
    ]));
    assert!(
        with["fit"].as_f64().unwrap() >= without["fit"].as_f64().unwrap(),
        "{with} vs {without}"
    );
    assert!(
        with["declared_industry"].as_str().unwrap().starts_with("6513"),
        "{with}"
    );
}

#[test]
fn the_table_shows_verdict_evidence_and_departments() {
    let o = Sandbox::new().run(&[
        "score",
        "--name",
        "温州瓯绿再生资源回收有限公司",
        "--scope",
        "再生资源回收（除生产性废旧金属）；报废机动车回收拆解；废旧家电拆解",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("判定 Verdict") && out.contains("绿色循环产业") && out.contains("市生态环境局"),
        "{out}"
    );
}

#[test]
fn empty_name_and_scope_is_a_usage_error() {
    let sb = Sandbox::new();
    let o = sb.run(&["score"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = sb.run(&["score", "--name", " ", "--scope", ""]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--name"), "{}", stderr(&o));
}

#[test]
fn invalid_utf8_in_a_file_names_the_byte_offset() {
    let sb = Sandbox::new();
    let p = sb.path().join("scope.txt");
    let mut bytes = "区块链".as_bytes().to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    std::fs::write(&p, bytes).unwrap();
    let o = sb.run(&["score", "--file", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("byte offset 9"), "{}", stderr(&o));
}

#[test]
fn scope_from_a_file_and_from_stdin() {
    let sb = Sandbox::new();
    let p = sb.path().join("scope.txt");
    std::fs::write(&p, "再制造；发动机再制造；旧件回收").unwrap();
    let v = json(&sb.run(&["score", "--file", p.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["matches"][0]["sector_no"], 12);
    let o = sb.run_with(
        &["score", "-", "--format", "json"],
        Some("共享单车运营；网约车平台".as_bytes()),
    );
    let v = json(&o);
    assert_eq!(v["matches"][0]["sector_no"], 9);
}

#[test]
fn a_one_megabyte_profile_works() {
    let sb = Sandbox::new();
    let p = sb.path().join("big.txt");
    let chunk = "电子竞技赛事运营；网络游戏研发；鞋制造；阀门销售；ABC xyz 123；";
    let text: String = chunk.repeat(1_048_576 / chunk.len() + 1);
    std::fs::write(&p, &text).unwrap();
    let v = json(&sb.run(&[
        "score",
        "--name",
        "巨型简介测试",
        "--file",
        p.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_eq!(v["matches"][0]["sector_no"], 6, "{v}");
}

/// `--top 0` would say `target` and show no sector: a usage error (exit 2), as is a count past 49.
#[test]
fn top_must_show_at_least_one_sector() {
    let sb = Sandbox::new();
    for k in ["0", "50", "x"] {
        let o = sb.run(&["score", "--scope", "区块链技术服务", "--top", k]);
        assert_eq!(o.status.code(), Some(2), "--top {k}: {}", stderr(&o));
        assert!(stderr(&o).contains("--top"), "{}", stderr(&o));
    }
    // The message names the range `--help` gives (1–49), not a half-open 1..50.
    let o = sb.run(&["score", "--scope", "区块链技术服务", "--top", "50"]);
    assert!(stderr(&o).contains("1..=49"), "{}", stderr(&o));
    let o = sb.run(&["score", "--scope", "区块链技术服务", "--top", "49", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = sb.run(&["score", "--scope", "区块链技术服务", "--top", "1", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["matches"].as_array().map(Vec::len), Some(1));
}
