"""What a call review scores (SPEC §11): the five stages of a call (001 第五篇, 客服投诉处理案例分析) and the
observation checklists for phone and face-to-face service (004 附录 (三)(四) 现场辅导观察表, whose items are the
standards of 004 §三(一)–(三)). The checklists are data: a reviewer marks each item met, not met, or leaves it
out when it did not arise in that call; the share met is the review's observation rate."""

from django.db import models
from django.utils.translation import gettext_lazy as _

STAGES = ("greeting", "entry", "transformation", "agreement", "closing")  # 001 第五篇
STAGE_GUIDE = {
    # 问候: greet, say who you are; sincere, warm, unhurried, a smile you can hear
    "greeting": _("Greet, give the agent id; sincere, warm, unhurried, a smile in the voice"),
    # 切入: describe the matter, state the company's position, watch the reaction; calm the customer first
    "entry": _("Describe the matter, state the company's position, watch the reaction; calm the customer first"),
    # 转化: steer by the customer's reaction, find the real reason and intent, keep the initiative
    "transformation": _("Steer by the customer's reaction, find the real reason and intent, keep the initiative"),
    # 协议: propose the solution at the right moment and win the customer's agreement, no loose ends
    "agreement": _("Propose a solution at the right moment and win the customer's agreement, no loose ends"),
    # 结束: confirm what was agreed, end politely and warmly
    "closing": _("Confirm what was agreed, end politely and warmly"),
}


class Mode(models.TextChoices):
    PHONE = "phone", _("Phone service")  # 电话服务观察表
    FACE_TO_FACE = "face_to_face", _("Face-to-face service")  # 面对面沟通服务观察表


PHONE_CHECKLIST = {
    # 004 §三(三) 接听电话; SPEC §10 (three rings, agent id) and §11 (banned words)
    "three_rings": _("Answered within three rings"),
    "agent_id": _("Greeted with the agent id"),
    "smiling_voice": _("Smiling voice, moderate volume, calm tone"),
    "addressed_by_name": _("Asked the customer's surname and addressed him by it"),
    "listened_without_interrupting": _("Listened patiently, did not interrupt"),
    "acknowledged": _("Responded while the customer spoke (是 / 对 / 这样…)"),
    "repeated_request": _("Repeated the request to show it was understood"),
    "collected_details": _("Collected name, contact, order number and time of the problem"),
    "standard_phrases": _("Used the standard phrases"),
    "no_banned_words": _("No banned words (不知道, 不清楚, 我办不了, 没办法)"),
    "kept_informed": _("Told the customer the progress while he waited"),
    "confident_answer": _("Answered clearly and with certainty (not 相信是 / 应该是 / 我想是)"),
    "neutral_wording": _("Stayed neutral; words about the facts, not about people"),
    "stated_deadline": _("Stated when the customer will hear back"),
    "follow_up_arranged": _("When the answer had to wait: apologised, took the number, left own name"),
    "confirmed_satisfaction": _("Asked whether the customer is satisfied"),
    "no_further_questions": _("Made sure there were no further questions before saying goodbye"),
    "closing_phrase": _("Closed with the standard closing phrase"),
}

FACE_TO_FACE_CHECKLIST = {
    # 004 §三(一) 专业形象 and §三(二) 接待客户服务标准
    "professional_dress": _("Neat, professional dress and grooming; staff card worn"),
    "tidy_workplace": _("Desk and reception tidy, no food on them"),
    "greeted_customer": _("Greeted the customer and introduced self (您好！我是XX，请问有什么可以帮到您？)"),
    "eye_contact_smile": _("Kept eye contact and a smile"),
    "posture": _("Upright posture, facing the customer, hands on the desk"),
    "no_distracting_gestures": _("No distracting gestures (hair, pen, crossed arms, frowning)"),
    "open_question": _("Opened with an open question, guided with closed ones"),
    "let_customer_finish": _("Let the customer finish and repeated the request"),
    "workable_solution": _("Offered a workable solution and explained why; no flat refusal"),
    "steps_explained": _("Explained a procedure step by step (首先 / 然后 / 最后)"),
    "confident_words": _("No uncertain or officious words (我估计, 我也不肯定, 这是公司规则)"),
    "documents_both_hands": _("Handed documents over with both hands"),
    "help_handover": _("When help was needed: apologised for the wait and briefed the colleague"),
    "confirmed_settled": _("Confirmed the request was settled (还有没有其它可以帮到您的？)"),
    "saw_customer_off": _("Stood up, said goodbye and invited the customer back"),
}

CHECKLISTS = {Mode.PHONE: PHONE_CHECKLIST, Mode.FACE_TO_FACE: FACE_TO_FACE_CHECKLIST}


def item_label(key: str):
    for items in CHECKLISTS.values():
        if key in items:
            return items[key]
    return key
