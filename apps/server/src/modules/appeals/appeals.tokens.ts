import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

let jieba: Jieba | null = null;
const STOP = new Set('的 了 是 在 和 有 我 我们 你 他 她 它 这 那 都 也 就 还 又 很 吗 呢 吧 啊 呀 哦 请 能 不 没 没有 一个 一下 已经 现在 什么 怎么 为什么'.split(' '));

/** The segmenter, with place names (罗溪镇, 广桥村 …) added so they stay one word. */
export function segmenter(placeNames: Iterable<string> = []): Jieba {
  if (!jieba) jieba = Jieba.withDict(dict);
  const lines = [...placeNames].filter((n) => n.length >= 2).map((n) => `${n} 100000 ns`);
  if (lines.length) jieba.loadDict(Buffer.from(lines.join('\n')));
  return jieba;
}

/** Content words of a text, space-joined: what duplicate suggestions compare with trigram similarity. */
export function contentTokens(text: string): string {
  const words = segmenter().cutForSearch(text, true);
  return [...new Set(words.map((w) => w.trim().toLowerCase()).filter((w) => w.length > 0 && !STOP.has(w) && /[\p{L}\p{N}]/u.test(w)))].join(' ');
}
