/**
 * The confirmation mail of a petition signature, in the signer's language. Plain text only: it
 * reads everywhere, and it carries no tracking pixel or remote image by construction.
 */
import type { Language } from "@commune/protocol";

export interface PetitionMailInput {
  readonly title: string;
  readonly organization: string;
  readonly confirmUrl: string;
  readonly withdrawUrl: string;
}

const TEXTS: Record<Language, (m: PetitionMailInput) => { subject: string; text: string }> = {
  en: (m) => ({
    subject: `Confirm your signature: ${m.title}`,
    text: [
      `You signed the petition “${m.title}” of ${m.organization}.`,
      "",
      "To count your signature, confirm it by opening this link:",
      m.confirmUrl,
      "",
      "If you did not sign, ignore this mail: nothing will be counted, and the signature is deleted after a week.",
      "",
      "To withdraw your signature at any time:",
      m.withdrawUrl,
      "",
      "Your answers were encrypted in your browser for the organization; the server that sent this mail cannot read them and does not keep your address.",
    ].join("\n"),
  }),
  fr: (m) => ({
    subject: `Confirmez votre signature : ${m.title}`,
    text: [
      `Vous avez signé la pétition « ${m.title} » de ${m.organization}.`,
      "",
      "Pour que votre signature compte, confirmez-la en ouvrant ce lien :",
      m.confirmUrl,
      "",
      "Si vous n’avez pas signé, ignorez ce mail : rien ne sera compté, et la signature sera supprimée après une semaine.",
      "",
      "Pour retirer votre signature à tout moment :",
      m.withdrawUrl,
      "",
      "Vos réponses ont été chiffrées dans votre navigateur pour l’organisation ; le serveur qui a envoyé ce mail ne peut pas les lire et ne garde pas votre adresse.",
    ].join("\n"),
  }),
  ja: (m) => ({
    subject: `署名の確認：${m.title}`,
    text: [
      `${m.organization} の請願「${m.title}」に署名しました。`,
      "",
      "署名を数に入れるには、次のリンクを開いて確認してください：",
      m.confirmUrl,
      "",
      "署名した覚えがない場合は、このメールを無視してください。何も数えられず、署名は1週間後に削除されます。",
      "",
      "署名はいつでも次のリンクから取り消せます：",
      m.withdrawUrl,
      "",
      "回答はブラウザ内で団体向けに暗号化されました。このメールを送ったサーバーはそれを読めず、あなたのアドレスも保存しません。",
    ].join("\n"),
  }),
  ar: (m) => ({
    subject: `أكّد توقيعك: ${m.title}`,
    text: [
      `وقّعت عريضة «${m.title}» التي نشرتها ${m.organization}.`,
      "",
      "لكي يُحتسب توقيعك، أكّده بفتح هذا الرابط:",
      m.confirmUrl,
      "",
      "إن لم توقّع، فتجاهل هذه الرسالة: لن يُحتسب شيء، وسيُحذف التوقيع بعد أسبوع.",
      "",
      "لسحب توقيعك في أي وقت:",
      m.withdrawUrl,
      "",
      "شُفّرت إجاباتك في متصفحك للمنظمة؛ الخادم الذي أرسل هذه الرسالة لا يستطيع قراءتها ولا يحتفظ بعنوانك.",
    ].join("\n"),
  }),
};

export function petitionMail(language: Language, input: PetitionMailInput): { subject: string; text: string } {
  return TEXTS[language](input);
}
