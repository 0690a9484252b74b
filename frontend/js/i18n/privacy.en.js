// Strings of the privacy notice (#/privacy), loaded with that screen. Lists: one item a line.
export default {
  "privacy.title": "Your personal data",
  "privacy.intro":
    "Lan Tỏa helps the school follow how a resolution is studied. This page says what the system keeps about you, why, who may see it, for how long, and your rights, under Decree 13/2023/NĐ-CP and the Personal Data Protection Law.",
  "privacy.what": "What is kept",
  "privacy.whatItems":
    "Your name, staff code, position and units; your email and phone number if the school entered them.\nYour confirmations of study: when, how (personal link, account, QR code, or recorded by staff on your behalf) and your device's network address.\nYour reflections, their grades and comments.\nYour attendance at study sessions; tasks given to you and the evidence sent with them.\nThe audit log: who did what, and when (so the figures can be trusted).\nThe reminders and notifications sent to you.",
  "privacy.why": "Why",
  "privacy.whyItems":
    "To follow and total how your organisation studies a resolution.\nTo report to the level above: it receives totals; what is pushed out of the system automatically carries ids, not names.\nTo remind you of what is left to do (in the app, and by email if you have one).",
  "privacy.who": "Who may see it",
  "privacy.whoItems":
    "You see your own data.\nYour school's leaders, clerk and managers see the data of the school's staff, as their roles allow.\nThe levels above (the district or provincial education office) see the figures of the organisations below them, as their roles allow.\nNobody else; the data is not sold or used for anything else.",
  "privacy.howLong": "For how long",
  "privacy.howLongText":
    "Your data is kept while you work at the organisation. When you leave, it is kept for the retention period your school (or an authority above it) sets, counted from the day you left; after that your name, staff code, contact details, login, reflection texts and evidence files are deleted for good (anonymised), and only totals that no longer name you remain. Once you have left you may ask to be anonymised sooner. Issued reports are archived documents and stay exactly as issued.",
  "privacy.rights": "Your rights",
  "privacy.rightsItems":
    "To know what data about you is kept, and to see it.\nTo ask for a copy of your data.\nTo ask for wrong details to be corrected (name, position, unit, email, phone).\nTo ask for your data to be restricted, to object, or to have it deleted where the law allows.",
  "privacy.ask": "How to ask",
  "privacy.askText":
    "You can download a copy of your data yourself at any time: open your learning record from your page and press “Download my data” (an XLSX or JSON file). Send other requests (a correction, a restriction, an objection, a deletion) to the school's clerk or leaders (in person or in writing). The school answers within the time the law sets.",
  "privacy.openRecord": "Open my learning record",
  "privacy.link": "Your personal link",
  "privacy.linkText":
    "Your personal link opens your page without a password: please do not pass it on. If you shared it by mistake, tell the school so it can revoke it and give you a new one.",
  "privacy.back": "← Back to my page",
};
