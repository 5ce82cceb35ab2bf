/** أرقام الأمان، وجهات الاتصال الموثَّقة، وتنبيهات تغيُّر المفاتيح، وتنبيه الجهاز الجديد (العربية). */
import { isolate, pluralizer } from "../format.ts";
import type { safetyEn } from "./en.ts";

const p = pluralizer("ar");
const devices = (n: number) => p(n, { zero: "لا أجهزة", one: "جهاز واحد", two: "جهازين", few: "# أجهزة", many: "# جهازًا", other: "# جهاز" });

export const safetyAr: typeof safetyEn = {
  title: (name: string) => `رقم الأمان مع ${isolate(name)}`,
  back: (loop: string) => `العودة إلى ${isolate(loop)}`,
  intro: (name: string) =>
    `قارن هذا الرقم بالرقم الظاهر على شاشة ${isolate(name)}، جنبًا إلى جنب أو في مكالمة تعرفان فيها صوتَي بعضكما. إن تطابقا فلا أحد يقرأ معكما، ولا حتى من يدير الخادم.`,
  numberTitle: "رقم الأمان الخاص بك",
  numberLabel: (name: string) => `رقم الأمان مع ${isolate(name)}، في اثنتي عشرة مجموعة من خمسة أرقام`,
  covers: (own: number, theirs: number, name: string) =>
    `يشمل مفاتيح أجهزتك (${devices(own)}) وأجهزة ${isolate(name)} (${devices(theirs)}). يتغيّر عند إضافة جهاز جديد.`,
  qrTitle: "رمزك",
  qrHint: (name: string) => `يمكن لـ${isolate(name)} مسح هذا الرمز من الصفحة نفسها على هاتفه بدلًا من قراءة الأرقام.`,
  qrLabel: (name: string) => `رمز QR لرقم الأمان الخاص بك، ليمسحه ${isolate(name)}`,
  checkTitle: (name: string) => `تحقّق من رقم ${isolate(name)}`,
  scan: (name: string) => `امسح رمز ${isolate(name)}`,
  scanStop: "أوقف الكاميرا",
  scanning: "وجّه الكاميرا نحو الرمز. يجري التحقق على هذا الجهاز، ولا تُرسل الصورة إلى أي مكان.",
  cameraLabel: "صورة الكاميرا",
  fromPicture: "أو اختر صورة للرمز",
  typeLabel: (name: string) => `أو اكتب الأرقام الستين التي يقرؤها لك ${isolate(name)}`,
  typeHint: "لا تهمّ المسافات، ويمكنك الكتابة بالأرقام العربية أو الهندية.",
  compare: "قارن",
  match: (name: string) => `الرقمان متطابقان. محادثاتك مع ${isolate(name)} مشفّرة بالمفاتيح التي تريانها كلاكما.`,
  markVerified: (name: string) => `وثّق ${isolate(name)}`,
  verifiedNow: (name: string) => `${isolate(name)} موثَّق على هذا الجهاز.`,
  mismatch: (name: string) =>
    `الرقمان غير متطابقين. إمّا أن أحدكما ينظر إلى رقم قديم — فليفتح كلاكما هذه الصفحة من جديد ويقارنا مرة أخرى — وإمّا أن جهازًا أو مفتاحًا ليس لـ${isolate(name)} قد وُضع بينكما، ربما من قِبل من يدير الخادم. إلى أن يتطابقا، لا تشارك أي شيء حسّاس مع ${isolate(name)}. اطلب منه مراجعة قائمة أجهزته (الحساب › الأجهزة) وإزالة أي جهاز لا يعرفه.`,
  invalidNumber: "هذا ليس رقم أمان كاملًا: رقم الأمان ستون رقمًا. تأكّد من أنك كتبت المجموعات الاثنتي عشرة كلها.",
  invalidCode: "هذا الرمز ليس رقم أمان من Commune. امسح الرمز الظاهر في صفحة رقم الأمان لدى الشخص الآخر.",
  noCodeInPicture: "لم يُعثر على رمز في هذه الصورة. جرّب صورة أوضح، أو اكتب الأرقام.",
  keysMoved: (name: string) => `تغيّرت مفاتيح ${isolate(name)} أثناء المقارنة. الرقم أعلاه هو الجديد: قارن مرة أخرى.`,
  cameraDenied: "لم يُسمح باستخدام الكاميرا. اسمح بها لهذا الموقع من إعدادات المتصفح، أو اكتب الأرقام.",
  cameraMissing: "لم يُعثر على كاميرا. اختر صورة للرمز، أو اكتب الأرقام.",
  cameraUnavailable: "لا يمكن استخدام الكاميرا هنا (يلزم عنوان آمن ‎https://‎). اختر صورة للرمز، أو اكتب الأرقام.",
  statusTitle: "التوثيق",
  verifiedOn: (name: string, date: string) => `وثّقت ${isolate(name)} في ${date}.`,
  changedSince: (name: string) => `تغيّر رقم الأمان لـ${isolate(name)} منذ أن وثّقته. قارن مرة أخرى.`,
  notVerified: (name: string) => `لم توثّق ${isolate(name)} على هذا الجهاز.`,
  unverify: "ألغِ التوثيق",
  unverified: (name: string) => `لم يعد ${isolate(name)} موثَّقًا.`,
  deviceOnly: "يُحفظ التوثيق على هذا الجهاز وحده. لأجهزتك الأخرى توثيقها الخاص.",
  notShared: (name: string) =>
    `هذا الجهاز ليس بعدُ في أي حلقة مع ${isolate(name)}، فلا يوجد رقم للمقارنة. افتح حلقة مشتركة بينكما، وانتظر حتى تصبح جاهزة، ثم عُد.`,
  notFound: "هذا الشخص ليس في هذه الحلقة.",
  loading: "جارٍ حساب رقم الأمان…",
  verified: "موثَّق",
  changed: "تغيّر",
  verifiedLabel: (name: string) => `${isolate(name)}: موثَّق`,
  changedLabel: (name: string) => `${isolate(name)}: تغيّر رقم الأمان منذ أن وثّقته`,
  safetyLink: "رقم الأمان",
  safetyLinkLabel: (name: string) => `رقم الأمان مع ${isolate(name)}`,
  warningsTitle: "أرقام الأمان",
  changeWarning: (name: string) => `تغيّر رقم الأمان لـ${isolate(name)} — قارن مرة أخرى.`,
  changeWhy: (name: string) =>
    `يحدث هذا حين يضيف ${isolate(name)} جهازًا أو يزيله. إن لم يفعل، أو لم تستطع سؤاله، فقارن الأرقام قبل أن تشارك أي شيء حسّاس.`,
  changeVerified: (name: string) => `كنت قد وثّقت ${isolate(name)}: لم يعد ذلك التوثيق قائمًا.`,
  compareAgain: "قارن",
  compareAgainLabel: (name: string) => `قارن أرقام الأمان مع ${isolate(name)}`,
  acknowledge: "فهمت",
  acknowledgeLabel: (name: string) => `أخفِ التنبيه الخاص بـ${isolate(name)}`,
  earlier: (count: number, more: boolean) =>
    more
      ? `أُرسلت في هذه الحلقة أكثر من ${p(count, { other: "# رسالة" })} قبل انضمام هذا الجهاز.`
      : p(count, {
          one: "أُرسلت رسالة واحدة في هذه الحلقة قبل انضمام هذا الجهاز.",
          two: "أُرسلت رسالتان في هذه الحلقة قبل انضمام هذا الجهاز.",
          few: "أُرسلت # رسائل في هذه الحلقة قبل انضمام هذا الجهاز.",
          many: "أُرسلت # رسالة في هذه الحلقة قبل انضمام هذا الجهاز.",
          other: "أُرسلت # رسالة في هذه الحلقة قبل انضمام هذا الجهاز.",
        }),
  earlierWhy:
    "لا يمكن قراءتها على هذا الجهاز، ولا يستطيع أحد أن يجعلها مقروءة: لا يتلقى الجهاز المفاتيح إلا منذ لحظة انضمامه، فلا يستطيع هاتف يُفقد أو يُصادر لاحقًا أن يفتح الماضي. أجهزتك التي كانت في الحلقة حينها ما زالت تعرضها.",
};
