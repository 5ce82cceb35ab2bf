/** 安全番号、確認済みの相手、鍵の変更の警告、新しい端末のお知らせ（日本語）。 */
import { isolate, pluralizer } from "../format.ts";
import type { safetyEn } from "./en.ts";

const p = pluralizer("ja");

export const safetyJa: typeof safetyEn = {
  title: (name: string) => `${isolate(name)}さんとの安全番号`,
  back: (loop: string) => `${isolate(loop)}に戻る`,
  intro: (name: string) =>
    `この番号を${isolate(name)}さんの画面の番号と比べてください。並べて見比べるか、互いの声が分かる通話で読み上げます。一致すれば、サーバーの運営者を含め、誰も会話をのぞいていません。`,
  numberTitle: "あなたの安全番号",
  numberLabel: (name: string) => `${isolate(name)}さんとの安全番号（5桁×12組）`,
  covers: (own: number, theirs: number, name: string) =>
    `あなたの端末${p(own, { other: "#台" })}と${isolate(name)}さんの端末${p(theirs, { other: "#台" })}の鍵が対象です。端末が増えると番号が変わります。`,
  qrTitle: "あなたのコード",
  qrHint: (name: string) => `${isolate(name)}さんは、数字を読む代わりに、スマートフォンで同じページを開いてこのコードをスキャンできます。`,
  qrLabel: (name: string) => `${isolate(name)}さんにスキャンしてもらう、あなたの安全番号のQRコード`,
  checkTitle: (name: string) => `${isolate(name)}さんの番号を確かめる`,
  scan: (name: string) => `${isolate(name)}さんのコードをスキャン`,
  scanStop: "カメラを止める",
  scanning: "カメラをコードに向けてください。確認はこの端末の中で行われ、画像はどこにも送られません。",
  cameraLabel: "カメラの映像",
  fromPicture: "またはコードの写真を選ぶ",
  typeLabel: (name: string) => `または${isolate(name)}さんが読み上げる60桁を入力`,
  typeHint: "空白は気にしなくてかまいません。",
  compare: "比べる",
  match: (name: string) => `番号が一致しました。${isolate(name)}さんとの会話は、お二人が見ているのと同じ鍵で暗号化されています。`,
  markVerified: (name: string) => `${isolate(name)}さんを確認済みにする`,
  verifiedNow: (name: string) => `この端末で${isolate(name)}さんを確認済みにしました。`,
  mismatch: (name: string) =>
    `番号が一致しません。どちらかが古い番号を見ている（お二人ともこのページを開き直して、もう一度比べてください）か、${isolate(name)}さんのものではない端末や鍵が、おそらくサーバーの運営者によって間に入れられています。一致するまでは、${isolate(name)}さんと大切な情報をやり取りしないでください。${isolate(name)}さんに端末の一覧（アカウント › 端末）を確認し、心当たりのない端末を削除するよう頼んでください。`,
  invalidNumber: "安全番号の全体ではありません。安全番号は60桁です。12組すべてを入力したか確かめてください。",
  invalidCode: "このコードはCommuneの安全番号ではありません。相手の安全番号のページに表示されたコードをスキャンしてください。",
  noCodeInPicture: "この画像からはコードが見つかりませんでした。もっと鮮明な写真を使うか、数字を入力してください。",
  keysMoved: (name: string) => `比べている間に${isolate(name)}さんの鍵が変わりました。上の番号が新しい番号です。もう一度比べてください。`,
  cameraDenied: "カメラの使用が許可されませんでした。ブラウザの設定でこのサイトにカメラを許可するか、数字を入力してください。",
  cameraMissing: "カメラが見つかりません。コードの写真を選ぶか、数字を入力してください。",
  cameraUnavailable: "ここではカメラを使えません（安全な https:// のアドレスが必要です）。コードの写真を選ぶか、数字を入力してください。",
  statusTitle: "確認",
  verifiedOn: (name: string, date: string) => `${date}に${isolate(name)}さんを確認しました。`,
  changedSince: (name: string) => `確認した後に${isolate(name)}さんの安全番号が変わりました。もう一度比べてください。`,
  notVerified: (name: string) => `この端末ではまだ${isolate(name)}さんを確認していません。`,
  unverify: "確認を取り消す",
  unverified: (name: string) => `${isolate(name)}さんの確認済みの印を外しました。`,
  deviceOnly: "確認の記録はこの端末にだけ保存されます。ほかの端末はそれぞれ別に記録します。",
  notShared: (name: string) =>
    `この端末はまだ${isolate(name)}さんと同じループに入っていないため、比べる番号がありません。共通のループを開き、準備ができてから戻ってきてください。`,
  notFound: "この人はこのループにいません。",
  loading: "安全番号を計算しています…",
  verified: "確認済み",
  changed: "変更あり",
  verifiedLabel: (name: string) => `${isolate(name)}さん：確認済み`,
  changedLabel: (name: string) => `${isolate(name)}さん：確認後に安全番号が変わりました`,
  safetyLink: "安全番号",
  safetyLinkLabel: (name: string) => `${isolate(name)}さんとの安全番号`,
  warningsTitle: "安全番号",
  changeWarning: (name: string) => `${isolate(name)}さんの安全番号が変わりました。もう一度比べてください。`,
  changeWhy: (name: string) =>
    `${isolate(name)}さんが端末を追加または削除すると、こうなります。心当たりがない場合や本人に聞けない場合は、大切な情報を送る前に番号を比べてください。`,
  changeVerified: (name: string) => `${isolate(name)}さんは確認済みでしたが、その確認はもう有効ではありません。`,
  compareAgain: "比べる",
  compareAgainLabel: (name: string) => `${isolate(name)}さんと安全番号を比べる`,
  acknowledge: "了解",
  acknowledgeLabel: (name: string) => `${isolate(name)}さんについての警告を閉じる`,
  earlier: (count: number, more: boolean) =>
    more
      ? `このループでは、この端末が参加する前に${p(count, { other: "#件" })}を超えるメッセージが送られています。`
      : `このループでは、この端末が参加する前に${p(count, { other: "#件" })}のメッセージが送られています。`,
  earlierWhy:
    "それらはこの端末では読めず、誰にも読めるようにはできません。端末が鍵を受け取るのは参加した時点からなので、後でなくしたり奪われたりした端末で過去のメッセージを開くことはできません。その時点でループにいたあなたの端末には、今も表示されます。",
};
