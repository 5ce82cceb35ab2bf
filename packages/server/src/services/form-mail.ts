/**
 * The confirmation mail of a form response, in the respondent's language. Plain text only: it
 * reads everywhere, and it carries no tracking pixel or remote image by construction.
 */
import type { Language } from "@commune/protocol";

export interface FormMailInput {
  readonly title: string;
  readonly organization: string;
  readonly confirmUrl: string;
}

const TEXTS: Record<Language, (m: FormMailInput) => { subject: string; text: string }> = {
  en: (m) => ({
    subject: `Confirm your answers: ${m.title}`,
    text: [
      `You answered the form “${m.title}” of ${m.organization}.`,
      "",
      "To confirm your answers, open this link:",
      m.confirmUrl,
      "",
      "If you did not answer this form, ignore this mail: the answers are deleted after a week.",
      "",
      "Your answers were encrypted in your browser for the organization; the server that sent this mail cannot read them and does not keep your address.",
    ].join("\n"),
  }),
  fr: (m) => ({
    subject: `Confirmez vos réponses : ${m.title}`,
    text: [
      `Vous avez répondu au formulaire « ${m.title} » de ${m.organization}.`,
      "",
      "Pour confirmer vos réponses, ouvrez ce lien :",
      m.confirmUrl,
      "",
      "Si vous n’avez pas répondu à ce formulaire, ignorez ce mail : les réponses seront supprimées après une semaine.",
      "",
      "Vos réponses ont été chiffrées dans votre navigateur pour l’organisation ; le serveur qui a envoyé ce mail ne peut pas les lire et ne garde pas votre adresse.",
    ].join("\n"),
  }),
  ja: (m) => ({
    subject: `回答の確認：${m.title}`,
    text: [
      `${m.organization} のフォーム「${m.title}」に回答しました。`,
      "",
      "回答を確定するには、次のリンクを開いてください：",
      m.confirmUrl,
      "",
      "回答した覚えがない場合は、このメールを無視してください。回答は1週間後に削除されます。",
      "",
      "回答はブラウザ内で団体向けに暗号化されました。このメールを送ったサーバーはそれを読めず、あなたのアドレスも保存しません。",
    ].join("\n"),
  }),
  ar: (m) => ({
    subject: `أكّد إجاباتك: ${m.title}`,
    text: [
      `أجبت عن نموذج «${m.title}» الذي نشرته ${m.organization}.`,
      "",
      "لتأكيد إجاباتك، افتح هذا الرابط:",
      m.confirmUrl,
      "",
      "إن لم تُجب عن هذا النموذج، فتجاهل هذه الرسالة: ستُحذف الإجابات بعد أسبوع.",
      "",
      "شُفّرت إجاباتك في متصفحك للمنظمة؛ الخادم الذي أرسل هذه الرسالة لا يستطيع قراءتها ولا يحتفظ بعنوانك.",
    ].join("\n"),
  }),
};

export function formMail(language: Language, input: FormMailInput): { subject: string; text: string } {
  return TEXTS[language](input);
}
