"""The SLA table every installation starts with: SPEC §10 table 2, the freight complaint sub-categories of
SPEC §9, the query types of SPEC §8, suggestions and emergencies. Admins edit these rows afterwards.

The data migrations and the test fixtures both call these functions with a model registry (the migration's
historical apps, or ``django.apps.apps``)."""

# fmt: off
# category, sub-category, label, owner, minutes, basis, standard solution, remind before, escalate to
ROWS = [
    ("inquiry", "product_function", "产品功能", "agent", 5, "clock", "操作手册 / 视频指导", 2, "supervisor"),
    ("inquiry", "logistics_query", "物流查询", "agent", 3, "clock", "查询后告知", 1, "supervisor"),
    ("inquiry", "transit_time", "运输时效", "agent", 3, "clock", "按公司时效标准答复", 1, "supervisor"),
    ("inquiry", "price_destination", "发货价格、到货地", "agent", 3, "clock", "按价目表答复", 1, "supervisor"),
    ("inquiry", "arrival_time", "到货时间", "agent", 3, "clock", "查询后告知，引导客户自助查询", 1, "supervisor"),
    ("inquiry", "cargo_status", "货物状态", "agent", 3, "clock", "查询后告知，引导客户自助查询，记录到该单", 1,
     "supervisor"),
    ("inquiry", "other", "其他", "agent", 120, "working", "核实后在承诺时间前回电（2小时内给您回复）", 30, "supervisor"),
    ("complaint", "product_quality", "产品质量", "after_sales", 1440, "clock", "检测 / 退换货 + 补偿", 120, "manager"),
    ("complaint", "attitude", "服务态度", "supervisor", 720, "clock", "道歉 + 培训当事人", 60, "manager"),
    ("complaint", "transit_time", "运输时效（提货/送货超时）", "agent", 30, "working",
     "短信并电话催司机，抄送车管，告知客户结果并记录", 10, "supervisor"),
    ("complaint", "fees", "运费或其他费用", "supervisor", 480, "working", "核对价目表与所收费用，多收退还", 60, "manager"),
    ("complaint", "other", "其他", "supervisor", 1440, "clock", "调查原因，提出处理方案，主管审批", 120, "manager"),
    ("complaint", "cargo_safety", "货物安全（丢失、损坏、污染）", "supervisor", 240, "working",
     "立即核实货物状况，联系司机与车管，取证，提出赔偿方案", 30, "manager"),
    ("complaint", "injury", "人员受伤 / 安全事故", "supervisor", 30, "clock",
     "立即上报主管与管理层，联系司机与车管，安抚客户，记录经过", 10, "manager"),
    ("suggestion", "general", "建议", "supervisor", 480, "working",
     "致谢（您的建议很重要，我们会及时转给相关部门），转相关部门", 60, "manager"),
    ("emergency", "account_security", "账户安全", "supervisor", 10, "clock", "冻结账户 + 与客户核实", 3, "manager"),
    ("emergency", "system_failure", "系统故障", "technical", 5, "clock", "切换备用系统 + 发布通知", 2, "manager"),
    ("emergency", "safety", "货物安全 / 人员受伤", "supervisor", 10, "clock", "立即上报，联系司机与车管，安抚客户", 3,
     "manager"),
]
# fmt: on


def deadline_code(category: str, subcategory: str) -> str:
    """The SLA row's deadline in the one deadline-policy table (core.DeadlinePolicy)."""
    return f"ticket-{category}-{subcategory}"


def seed_sla_policies(apps) -> None:
    """The SLA rows and their deadline policies; a deadline an admin already edited keeps his figures."""
    DeadlinePolicy = apps.get_model("core", "DeadlinePolicy")
    SlaPolicy = apps.get_model("tickets", "SlaPolicy")
    for cat, sub, label, owner, minutes, basis, solution, remind, escalate in ROWS:
        deadline, _created = DeadlinePolicy.objects.get_or_create(
            code=deadline_code(cat, sub), defaults={"name": label, "minutes": minutes, "basis": basis}
        )
        SlaPolicy.objects.update_or_create(
            category=cat,
            subcategory=sub,
            defaults=dict(
                label=label,
                owner_group=owner,
                deadline=deadline,
                standard_solution=solution,
                remind_before_minutes=remind,
                escalate_to=escalate,
            ),
        )


def unseed_sla_policies(apps) -> None:
    DeadlinePolicy = apps.get_model("core", "DeadlinePolicy")
    SlaPolicy = apps.get_model("tickets", "SlaPolicy")
    for row in ROWS:
        SlaPolicy.objects.filter(category=row[0], subcategory=row[1]).delete()
        DeadlinePolicy.objects.filter(code=deadline_code(row[0], row[1])).delete()
