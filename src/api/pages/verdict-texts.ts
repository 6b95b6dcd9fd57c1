import type { PageLanguage } from './page-language.js';

/** Everything the verdict pages say, per language. */
export interface VerdictTexts {
  locale: string;
  title: string;
  active: { heading: string; text: string };
  inactive: { heading: string; text: string };
  blacklisted: { heading: string; text: string };
  unknown: { heading: string; text: string };
  product: string;
  brand: string;
  serialNumber: string;
  code: string;
  reason: string;
  firstScan: string;
  scanned: (count: number, since: string) => string;
  tooManyScans: string;
  /** Blacklist reasons 0–10 of the reference list, in words for consumers. */
  reasons: readonly string[];
}

export const VERDICT_TEXTS: Record<PageLanguage, VerdictTexts> = {
  en: {
    locale: 'en-GB',
    title: 'Product check',
    active: { heading: 'Genuine product', text: 'This code is authentic and active.' },
    inactive: {
      heading: 'Not yet activated',
      text: 'This code is authentic but has not been activated yet. If you bought this product in a shop, ask the seller.',
    },
    blacklisted: { heading: 'Warning: this code is blocked', text: 'Do not rely on this product being genuine.' },
    unknown: { heading: 'Unknown code', text: 'This code is not registered with us. The product may not be genuine.' },
    product: 'Product',
    brand: 'Brand',
    serialNumber: 'Serial number',
    code: 'Code',
    reason: 'Reason',
    firstScan: 'This is the first scan of this code.',
    scanned: (count, since) => `Scanned ${count} times since ${since}.`,
    tooManyScans: 'This code has been scanned more often than expected. It may have been copied.',
    reasons: [
      'Blocked', 'Counterfeits detected', 'Low print quality', 'Overprinted', 'Reported stolen', 'Damaged', 'Reported lost',
      'Misprinted', 'Not for sale', 'Order canceled', 'Scanned too many times',
    ],
  },
  fr: {
    locale: 'fr-FR',
    title: 'Vérification du produit',
    active: { heading: 'Produit authentique', text: 'Ce code est authentique et actif.' },
    inactive: {
      heading: 'Pas encore activé',
      text: 'Ce code est authentique mais n’a pas encore été activé. Si vous avez acheté ce produit en magasin, renseignez-vous auprès du vendeur.',
    },
    blacklisted: { heading: 'Attention : ce code est bloqué', text: 'Ne vous fiez pas à l’authenticité de ce produit.' },
    unknown: { heading: 'Code inconnu', text: 'Ce code n’est pas enregistré chez nous. Le produit n’est peut-être pas authentique.' },
    product: 'Produit',
    brand: 'Marque',
    serialNumber: 'Numéro de série',
    code: 'Code',
    reason: 'Motif',
    firstScan: 'C’est le premier scan de ce code.',
    scanned: (count, since) => `Scanné ${count} fois depuis le ${since}.`,
    tooManyScans: 'Ce code a été scanné plus souvent que prévu. Il a peut-être été copié.',
    reasons: [
      'Bloqué', 'Contrefaçons détectées', 'Qualité d’impression insuffisante', 'Surimpression', 'Déclaré volé', 'Endommagé',
      'Déclaré perdu', 'Erreur d’impression', 'Non destiné à la vente', 'Commande annulée', 'Nombre maximal de scans dépassé',
    ],
  },
  de: {
    locale: 'de-DE',
    title: 'Produktprüfung',
    active: { heading: 'Echtes Produkt', text: 'Dieser Code ist echt und aktiv.' },
    inactive: {
      heading: 'Noch nicht aktiviert',
      text: 'Dieser Code ist echt, wurde aber noch nicht aktiviert. Wenn Sie das Produkt im Handel gekauft haben, fragen Sie den Verkäufer.',
    },
    blacklisted: { heading: 'Achtung: Dieser Code ist gesperrt', text: 'Verlassen Sie sich nicht darauf, dass dieses Produkt echt ist.' },
    unknown: { heading: 'Unbekannter Code', text: 'Dieser Code ist bei uns nicht registriert. Das Produkt ist möglicherweise nicht echt.' },
    product: 'Produkt',
    brand: 'Marke',
    serialNumber: 'Seriennummer',
    code: 'Code',
    reason: 'Grund',
    firstScan: 'Dies ist der erste Scan dieses Codes.',
    scanned: (count, since) => `Seit ${since} ${count}-mal gescannt.`,
    tooManyScans: 'Dieser Code wurde häufiger gescannt als erwartet. Er wurde möglicherweise kopiert.',
    reasons: [
      'Gesperrt', 'Fälschungen entdeckt', 'Mangelhafte Druckqualität', 'Überdruckt', 'Als gestohlen gemeldet', 'Beschädigt',
      'Als verloren gemeldet', 'Fehldruck', 'Nicht zum Verkauf bestimmt', 'Auftrag storniert', 'Zu oft gescannt',
    ],
  },
  zh: {
    locale: 'zh-CN',
    title: '产品验证',
    active: { heading: '正品', text: '此代码真实有效，已激活。' },
    inactive: { heading: '尚未激活', text: '此代码真实，但尚未激活。如果您是在商店购买的此产品，请咨询卖家。' },
    blacklisted: { heading: '警告：此代码已被停用', text: '请勿认定此产品为正品。' },
    unknown: { heading: '未知代码', text: '此代码未在我们这里登记。该产品可能不是正品。' },
    product: '产品',
    brand: '品牌',
    serialNumber: '序列号',
    code: '代码',
    reason: '原因',
    firstScan: '这是此代码的首次扫描。',
    scanned: (count, since) => `自${since}起已扫描 ${count} 次。`,
    tooManyScans: '此代码的扫描次数超出预期，可能已被复制。',
    reasons: ['已停用', '发现假冒', '印刷质量差', '重复印刷', '已报失窃', '已损坏', '已报丢失', '印刷错误', '非卖品', '订单已取消', '扫描次数过多'],
  },
};
