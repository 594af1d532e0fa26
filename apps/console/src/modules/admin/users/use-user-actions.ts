import { ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { TUser } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { translate } from '@/i18n';
import { updateUser } from './api';

async function confirm(message: string, confirmText: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, translate('common.confirmTitle'), {
      type: 'warning',
      confirmButtonText: confirmText,
      cancelButtonText: translate('common.cancel'),
    });
    return true;
  } catch {
    return false;
  }
}

/** Activate / deactivate / unlock with a confirmation; each resolves with the updated user, or null. */
export function useUserActions() {
  const busyId = ref<string | null>(null);

  async function run(user: TUser, body: Parameters<typeof updateUser>[1], done: string): Promise<TUser | null> {
    busyId.value = user.id;
    try {
      const updated = await updateUser(user.id, body);
      ElMessage.success(done);
      return updated;
    } catch (error) {
      ElMessage.error(errorMessage(error));
      return null;
    } finally {
      busyId.value = null;
    }
  }

  /** Deactivate an active user or re-activate an inactive one. */
  async function toggleActive(user: TUser): Promise<TUser | null> {
    const activating = !user.isActive;
    const ok = await confirm(
      translate(activating ? 'users.confirmActivate' : 'users.confirmDeactivate', { name: user.name }),
      translate(activating ? 'users.activate' : 'users.deactivate'),
    );
    if (!ok) return null;
    return run(user, { isActive: activating }, translate(activating ? 'users.activated' : 'users.deactivated'));
  }

  /** Lift a login lockout before it expires. */
  async function unlock(user: TUser): Promise<TUser | null> {
    const ok = await confirm(translate('users.confirmUnlock', { name: user.name }), translate('users.unlock'));
    if (!ok) return null;
    return run(user, { unlock: true }, translate('users.unlocked'));
  }

  return { busyId, toggleActive, unlock };
}
