/**
 * The same estimator and dictionaries the API applies (src/core/password.ts), so the meter
 * agrees with what the server will accept. The dictionaries are large, so they load on first
 * use, in their own chunk.
 */

export interface Strength {
  /** 0 (guessable in seconds) to 4 (very strong). */
  score: number;
  /** Advice in the estimator's words, when there is any. */
  advice: string;
}

type Estimator = (password: string, userInputs: string[]) => Strength;

let loading: Promise<Estimator> | undefined;

export function loadEstimator(): Promise<Estimator> {
  loading ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(([core, common, english]) => {
    const factory = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
    return (password, userInputs) => {
      const result = factory.check(password, userInputs);
      const advice = [result.feedback.warning, ...result.feedback.suggestions]
        .filter((line): line is string => typeof line === 'string' && line !== '')
        .join(' ');
      return { score: result.score, advice };
    };
  });
  return loading;
}
