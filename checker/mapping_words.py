"""Words CRM exports use, in Chinese and English, for the things a data model names: what
`checker mapping init` matches export headers, file names and values against. A data model's
own names always count too (a header `created_at` or `Created At` needs no entry here), and so
do its steps' and roles' Chinese names."""
from __future__ import annotations

# Words that stand for a table's records, in file names and in "<record> ID" headers (besides
# the table's own name, singular or plural).
TABLE_WORDS = {
    "employees": ["员工", "人员", "职员", "employee", "staff", "user"],
    "customers": ["客户", "customer", "account", "client"],
    "deals": ["商机", "机会", "opportunity", "deal"],
    "events": ["活动", "事件", "跟进", "activity", "event"],
    "approvals": ["审批"],
    "complaints": ["投诉", "complaint", "ticket"],
    "plans": ["计划", "plan"],
    "reports": ["报告", "report"],
    "trainings": ["培训", "training"],
}

# Endings of a header naming a record by its key: 客户编号, Customer ID.
ID_WORDS = ["编号", "编码", "代码", "号", "id", "no", "code", "number"]

# Headers for fields, by the field's name in a data model.
FIELD_WORDS = {
    "name": ["名称", "姓名", "名字", "name"],
    "role": ["岗位", "角色", "职位", "职务", "role", "position", "title"],
    "supervisor_id": ["直属上级", "上级", "主管", "supervisor", "manager", "reports to"],
    "region": ["区域", "地区", "所在地区", "大区", "region", "territory"],
    "active_from": ["入职日期", "入职时间", "生效日期", "hire date", "start date"],
    "active_to": ["离职日期", "离职时间", "失效日期", "leave date", "end date"],
    "tier": ["客户等级", "等级", "级别", "tier", "level"],
    "industry": ["所属行业", "行业", "industry", "sector"],
    "owner_id": ["负责人", "客户负责人", "所有人", "owner", "sales agent", "assigned to"],
    "screened_at": ["筛选时间", "筛选日期", "screened"],
    "stage": ["商机阶段", "阶段", "销售阶段", "stage", "deal stage"],
    "amount": ["金额", "合同金额", "商机金额", "amount", "value", "close value"],
    "discount_pct": ["折扣", "折扣率", "discount"],
    "payment_terms": ["付款方式", "合同付款方式", "付款条件", "payment terms"],
    "created_at": ["创建时间", "创建日期", "created", "create date", "engage date"],
    "closed_at": ["关闭时间", "关闭日期", "closed", "close date"],
    "step": ["步骤", "环节", "活动类型", "step", "activity", "action"],
    "actor_id": ["执行人", "操作人", "经办人", "actor", "performed by", "user"],
    "at": ["发生时间", "时间", "日期", "审批时间", "time", "timestamp", "date"],
    "channel": ["渠道", "沟通方式", "channel", "medium"],
    "proposal_price": ["方案报价", "报价", "quote", "proposal price"],
    "delivery_terms": ["交付方式", "交付", "delivery", "delivery terms"],
    "after_sales_terms": ["售后服务", "售后", "after sales", "service terms"],
    "proposal_items": ["产品或服务内容", "产品", "服务内容", "items", "products"],
    "type": ["审批类型", "类型", "type", "kind"],
    "approver_id": ["审批人", "approver"],
    "decision": ["审批结果", "结果", "decision", "result", "outcome"],
    "handler_id": ["处理人", "handler", "assignee"],
    "severity": ["严重程度", "严重性", "severity", "priority"],
    "received_at": ["受理时间", "接收时间", "received"],
    "first_response_at": ["首次响应时间", "响应时间", "first response"],
    "resolved_at": ["解决时间", "resolved"],
    "period_type": ["计划类型", "周期类型", "period type"],
    "period": ["计划周期", "报告周期", "周期", "period"],
    "submitted_at": ["提交时间", "提交日期", "submitted"],
    "recipient_id": ["报送对象", "接收人", "recipient", "submitted to"],
    "session": ["培训名称", "课程", "培训课程", "session", "course"],
    "trainer_id": ["讲师", "培训师", "trainer", "instructor"],
    "held_at": ["培训时间", "培训日期", "held", "session date"],
    "attendance": ["出勤", "出勤情况", "attendance"],
    "score": ["考核成绩", "成绩", "分数", "score"],
    "assessor_id": ["考核人", "评分人", "assessor"],
}

# Export values for the values of enum fields.
VALUE_WORDS = {
    "lead": ["线索"], "qualified": ["需求确认", "合格"], "proposal": ["方案"], "negotiation": ["谈判"],
    "contract": ["合同"], "won": ["赢单", "成交"], "lost": ["输单", "丢单"],
    "key": ["重点客户", "重点", "重要客户"], "normal": ["普通客户", "普通", "一般"],
    "phone": ["电话"], "email": ["邮件", "电子邮件"], "visit": ["拜访", "上门"], "online_meeting": ["线上会议", "视频会议"],
    "system": ["系统"], "discount": ["折扣"], "seal": ["用印", "盖章"], "payment_terms": ["付款条件", "付款方式"],
    "approved": ["同意", "通过", "批准"], "rejected": ["驳回", "拒绝", "不同意"], "serious": ["严重"],
    "year": ["年度"], "quarter": ["季度"], "month": ["月度"],
    "present": ["出席", "出勤"], "absent": ["缺席"], "excused": ["请假"],
}
