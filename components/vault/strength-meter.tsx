import type { PasswordStrength } from '@/utils/vault/password-strength';

const WORDS: Record<PasswordStrength['level'], string> = { 'too-short': 'too short', weak: 'weak', fair: 'fair', strong: 'strong' };

/** The strength of a new password as a meter and in words, with one suggestion. Nothing is shown for an empty field. */
export function StrengthMeter({ id, strength, empty }: { id: string; strength: PasswordStrength; empty: boolean }) {
  const words = WORDS[strength.level];
  return (
    <div id={id} class={`strength strength-${empty ? 'empty' : strength.level}`}>
      <div
        class="strength-bar"
        role="meter"
        aria-label="Password strength"
        aria-valuemin={0}
        aria-valuemax={3}
        aria-valuenow={empty ? 0 : strength.score}
        aria-valuetext={empty ? 'empty' : words}
      >
        <span />
      </div>
      {!empty && (
        <p class="strength-text">
          Strength: <strong>{words}</strong>
          {strength.hint && <span class="muted"> — {strength.hint}</span>}
        </p>
      )}
    </div>
  );
}
