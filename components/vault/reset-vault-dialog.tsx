import { useRef, useState } from 'preact/hooks';
import { resetVault } from '@/utils/vault';
import { ConfirmDialog } from './confirm-dialog';

interface ResetVaultDialogProps {
  subscriptionHash: string;
  open: boolean;
  /** Closed without erasing (Cancel, Escape). */
  onCancel: () => void;
  /** After the vault was erased: the caller shows the create screen. */
  onReset: () => void;
}

/** "Reset master password?": erases this account's history on this device, then a new master password can be created. */
export function ResetVaultDialog({ subscriptionHash, open, onCancel, onReset }: ResetVaultDialogProps) {
  return (
    <ConfirmDialog
      id="reset"
      open={open}
      title="Reset master password?"
      confirmLabel="Erase history and reset"
      onCancel={onCancel}
      onConfirm={async () => {
        await resetVault(subscriptionHash);
        onReset();
      }}
    >
      <p>Your chat history for this account will be erased from this device. This cannot be undone.</p>
      <p>Then you create a new master password. Other accounts' history on this device is not touched.</p>
    </ConfirmDialog>
  );
}

interface ResetVaultButtonProps {
  subscriptionHash: string;
  /** After the vault was erased. */
  onReset: () => void;
}

/** "Reset master password" with its confirmation; Cancel returns focus to the button. */
export function ResetVaultButton({ subscriptionHash, onReset }: ResetVaultButtonProps) {
  const [confirming, setConfirming] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button type="button" class="vault-danger-outline" ref={button} onClick={() => setConfirming(true)}>
        Reset master password
      </button>
      <ResetVaultDialog
        subscriptionHash={subscriptionHash}
        open={confirming}
        onCancel={() => {
          setConfirming(false);
          button.current?.focus();
        }}
        onReset={() => {
          setConfirming(false);
          onReset();
        }}
      />
    </>
  );
}
