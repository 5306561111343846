// Ephemera's guardrails: the `policy:` section of the configuration file and
// the pure decision made from it for each debug request.
export { PolicySchema, DEFAULT_POLICY, type Policy, type PolicyInput, type ImageRule } from './schema';
export { evaluate, type Decision, type PolicyRule, type SessionLimits } from './evaluate';
export { matchingRules, imageUsersFrom, nonRootImagesFrom } from './images';
export { globToRegExp, matchesGlob, parseImagePattern, matchesImagePattern, type ImagePattern } from './glob';
