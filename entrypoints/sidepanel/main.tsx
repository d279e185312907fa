import { ChatHome } from '@/components/chat-home';
import { mount } from '@/components/mount';
import { renderAfterBoot } from '@/utils/page-boot';

void renderAfterBoot(() => mount(<ChatHome variant="sidepanel" />));
