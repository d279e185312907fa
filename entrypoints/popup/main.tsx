import { ChatHome } from '@/components/chat-home';
import { mount } from '@/components/mount';
import { startPageBoot } from '@/utils/page-boot';

startPageBoot();
mount(<ChatHome variant="popup" />);
