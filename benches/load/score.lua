-- wrk script: POST /api/score with one esports profile (see BENCHMARKS.md, "serve").
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"温州某电竞科技有限公司","scope":"电子竞技赛事组织策划；网络游戏开发；电竞场馆运营；体育用品销售；软件开发；信息技术咨询服务"}'
