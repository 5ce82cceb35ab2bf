/** サーバーがループのルールに反する変更を送ったため、この端末で停止したループ（日本語）。 */
import type { loopRulesEn } from "./en.ts";

export const loopRulesJa: typeof loopRulesEn = {
  title: "サーバーがこのループのルールに反する変更を送りました",
  reasons: {
    committer_not_member: "ループに参加していない人から送られました",
    outsider_added: "ループに参加していない人の端末を追加しようとしています",
    member_removed: "まだループに参加している人を外そうとしています",
    outsider_joined: "ループに参加していない人が自分で入ろうとしました",
    direct_overflow: "2人の会話に3人目を入れようとしています",
    forbidden_proposal: "Commune が決して行わない方法でループの暗号化設定を変えようとしています",
    outsider_in_group: "このループへの招待に、参加していない人の端末が含まれています",
  },
  why: (reason: string) => `この端末は変更を拒否しました：${reason}。`,
  what: "この端末ではこのループで何も読まず、何も送りません。こうして入り込んだ人があなたの書いたものを読むことはありません。このループ以外の方法で運営者に知らせ、会話を続けるには新しいループを始めてください。",
};
